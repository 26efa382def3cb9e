<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AttentionPage</name>
    <message>
        <source>Conflict</source>
        <translation>冲突</translation>
    </message>
    <message>
        <source>Rejected by the hub</source>
        <translation>被中心服务器拒绝</translation>
    </message>
    <message>
        <source>Returned by the county</source>
        <translation>被区县退回</translation>
    </message>
    <message>
        <source>Nothing needs your attention.</source>
        <translation>没有需要处理的记录。</translation>
    </message>
    <message>
        <source>These records wait for you: open one (double-click or Enter) to fix it. Edits to a rejected or conflicting record are held until it is fixed.</source>
        <translation>以下记录需要您处理：双击或按回车打开并修改。被拒绝或有冲突的记录，在处理好之前，其修改暂不上传。</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>需要处理</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Form</source>
        <translation>表单</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>What was said</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Changed here and on the hub ({0}) at the same time: {1}</source>
        <translation>本机与中心服务器（{0}）同时修改了：{1}</translation>
    </message>
    <message>
        <source>Changed since you reviewed it: the hub did not take your decision. Open it to review it again.</source>
        <translation>审核后记录已被修改：中心未接受您的审核决定。请打开记录重新审核。</translation>
    </message>
    <message>
        <source>(no comment)</source>
        <translation>（无说明）</translation>
    </message>
    <message>
        <source>{0}: {1}</source>
        <translation>{0}：{1}</translation>
    </message>
</context>
<context>
    <name>CommentDialog</name>
    <message>
        <source>What the school should change, in words it can act on</source>
        <translation>请写明学校需要修改什么，便于学校照此处理</translation>
    </message>
    <message>
        <source>A comment is required.</source>
        <translation>必须填写意见。</translation>
    </message>
</context>
<context>
    <name>ConflictDialog</name>
    <message>
        <source>Resolve a conflict</source>
        <translation>解决冲突</translation>
    </message>
    <message>
        <source>This computer&apos;s edit and the hub&apos;s version changed the same fields. Choose for each field which value to keep, or type another, then click Resolve. Other changes of both sides are kept.</source>
        <translation>本机的修改与中心服务器上的版本改动了相同的字段。请逐项选择保留哪个值，或输入其他值，然后点击“解决冲突”。双方对其他字段的修改都会保留。</translation>
    </message>
    <message>
        <source>Your edit</source>
        <translation>你的修改</translation>
    </message>
    <message>
        <source>Edit by {0}</source>
        <translation>{0} 的修改</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Type another value</source>
        <translation>输入其他值</translation>
    </message>
    <message>
        <source>(deleted)</source>
        <translation>（已删除）</translation>
    </message>
    <message>
        <source>This record was deleted on this computer while it was changed on the hub, so the hub kept it. A deleted record cannot be brought back here: ask your county reviewer to delete it on the hub or to keep it.</source>
        <translation>这条记录在本机被删除，而中心服务器上的版本在此期间被修改过，因此中心服务器保留了它。本机无法恢复已删除的记录：请联系区县审核员在中心服务器上删除或保留它。</translation>
    </message>
    <message>
        <source>Before both edits</source>
        <translation>修改前的值</translation>
    </message>
    <message>
        <source>On the hub</source>
        <translation>中心服务器上的值</translation>
    </message>
    <message>
        <source>Keep all mine</source>
        <translation>全部采用我的</translation>
    </message>
    <message>
        <source>Keep all of {0}&apos;s</source>
        <translation>全部采用 {0} 的</translation>
    </message>
    <message>
        <source>Keep all of the hub&apos;s</source>
        <translation>全部采用中心服务器的</translation>
    </message>
    <message>
        <source>Resolve</source>
        <translation>解决冲突</translation>
    </message>
    <message>
        <source>version {0}</source>
        <translation>第 {0} 版</translation>
    </message>
    <message>
        <source>Choose a value for every field first.</source>
        <translation>请先为每个字段选择一个值。</translation>
    </message>
    <message>
        <source>This conflict was already resolved. Close this window to see the record.</source>
        <translation>该冲突已经解决。请关闭此窗口查看记录。</translation>
    </message>
</context>
<context>
    <name>CountyWorkspace</name>
    <message>
        <source>Review</source>
        <translation>审核</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>需要处理</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>统计看板</translation>
    </message>
    <message>
        <source>Duplicates</source>
        <translation>重复与矛盾</translation>
    </message>
    <message>
        <source>Excel</source>
        <translation>Excel 导入导出</translation>
    </message>
</context>
<context>
    <name>DamagedDataDialog</name>
    <message>
        <source>Chanjiao Collect: the data file is damaged</source>
        <translation>产教融合数据采集：数据文件已损坏</translation>
    </message>
    <message>
        <source>Restore the selected backup</source>
        <translation>恢复所选备份</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>The data file on this computer is damaged and cannot be used:
{0}

Restore one of these backups. Everything entered after it and not yet synced is no longer shown; the damaged file is kept aside in the data folder for your IT staff.</source>
        <translation>本机的数据文件已损坏，无法使用：
{0}

请从下列备份中选择一个恢复。备份之后录入且尚未同步的内容将不再显示；损坏的文件会保留在数据文件夹中，供信息技术人员处理。</translation>
    </message>
    <message>
        <source>The data file on this computer is damaged and cannot be used:
{0}

There is no good backup to restore. Ask your IT staff for help; records already synced are safe on the hub.</source>
        <translation>本机的数据文件已损坏，无法使用：
{0}

没有可用于恢复的完好备份。请联系信息技术人员；已同步的记录在中心服务器上安然无恙。</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <source>The dashboard could not be counted: {0}</source>
        <translation>统计看板无法计算：{0}</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>统计看板</translation>
    </message>
    <message>
        <source>School:</source>
        <translation>学校：</translation>
    </message>
    <message>
        <source>All schools (county)</source>
        <translation>全部学校（全县）</translation>
    </message>
    <message>
        <source>Targets…</source>
        <translation>目标…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation>正在统计…</translation>
    </message>
    <message>
        <source>Progress against the county&apos;s targets</source>
        <translation>县级目标完成进度</translation>
    </message>
    <message>
        <source>Teachers short of 180 days in enterprises</source>
        <translation>企业实践不足 180 天的教师</translation>
    </message>
    <message>
        <source>Double-click a teacher to open the record.</source>
        <translation>双击教师可打开其记录。</translation>
    </message>
</context>
<context>
    <name>DateInput</name>
    <message>
        <source>YYYY-MM-DD</source>
        <translation>年-月-日</translation>
    </message>
    <message>
        <source>Choose from a calendar (Alt+Down)</source>
        <translation>从日历中选择（Alt+↓）</translation>
    </message>
</context>
<context>
    <name>Duplicates</name>
    <message>
        <source>Student in overlapping internships</source>
        <translation>同一学生实习时间重叠</translation>
    </message>
    <message>
        <source>Teacher in overlapping placements</source>
        <translation>同一教师企业实践时间重叠</translation>
    </message>
    <message>
        <source>One USCC under different enterprise names</source>
        <translation>同一信用代码对应不同企业名称</translation>
    </message>
</context>
<context>
    <name>DuplicatesPage</name>
    <message>
        <source>The duplicates could not be found: {0}</source>
        <translation>无法查找重复记录：{0}</translation>
    </message>
    <message>
        <source>{0} found</source>
        <translation>共 {0} 处</translation>
    </message>
    <message>
        <source>(no longer on this computer)</source>
        <translation>（本机已无此记录）</translation>
    </message>
    <message>
        <source>Double-click to open · {0}</source>
        <translation>双击打开 · {0}</translation>
    </message>
    <message>
        <source>Duplicates and inconsistencies</source>
        <translation>重复与矛盾</translation>
    </message>
    <message>
        <source>The same student, teacher or enterprise recorded in ways that cannot all be right, across the county&apos;s schools. Open a line to see the records involved; double-click a record to open it.</source>
        <translation>全县各校中，同一学生、教师或企业的记录相互矛盾，不可能都正确。展开一行可查看涉及的记录；双击记录可打开。</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>关键信息</translation>
    </message>
    <message>
        <source>Schools</source>
        <translation>学校</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <source>Chanjiao Collect: an error happened</source>
        <translation>产教融合数据采集：出现错误</translation>
    </message>
    <message>
        <source>The details were written to the log file:
{0}</source>
        <translation>详细信息已写入日志文件：
{0}</translation>
    </message>
    <message>
        <source>Open log folder</source>
        <translation>打开日志文件夹</translation>
    </message>
</context>
<context>
    <name>ExcelMenu</name>
    <message>
        <source>E&amp;xcel</source>
        <translation>Excel(&amp;X)</translation>
    </message>
    <message>
        <source>&amp;Export to Excel…</source>
        <translation>导出到 Excel(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Import from Excel…</source>
        <translation>从 Excel 导入(&amp;I)…</translation>
    </message>
    <message>
        <source>Download import &amp;template</source>
        <translation>下载导入模板(&amp;T)</translation>
    </message>
</context>
<context>
    <name>ExcelPage</name>
    <message>
        <source>Excel</source>
        <translation>Excel 导入导出</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>A workbook of the county&apos;s records, or of one school&apos;s: one sheet per form, repeat groups on their own sheets, and a summary of the dashboard.</source>
        <translation>全县或某一学校的记录导出为一个工作簿：每张表单一个工作表，重复项各占一个工作表，另附统计看板汇总。</translation>
    </message>
    <message>
        <source>Export to Excel…</source>
        <translation>导出到 Excel…</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Records from a school&apos;s spreadsheet, as drafts. The file is checked first; nothing is written until you confirm its report.</source>
        <translation>把学校已有的电子表格导入为草稿。先检查文件；确认检查报告之前不会写入任何数据。</translation>
    </message>
    <message>
        <source>Import from Excel…</source>
        <translation>从 Excel 导入…</translation>
    </message>
    <message>
        <source>Import templates</source>
        <translation>导入模板</translation>
    </message>
</context>
<context>
    <name>ExcelTemplates</name>
    <message>
        <source>Save import template</source>
        <translation>保存导入模板</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export to Excel</source>
        <translation>导出到 Excel</translation>
    </message>
    <message>
        <source>The folder {0} does not exist.</source>
        <translation>文件夹 {0} 不存在。</translation>
    </message>
    <message>
        <source>Replace {0}?</source>
        <translation>替换 {0}?</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Exported {0} records to {1}</source>
        <translation>已导出 {0} 条记录到 {1}</translation>
    </message>
    <message>
        <source>Cancelled: no file was written.</source>
        <translation>已取消：未写入任何文件。</translation>
    </message>
    <message>
        <source>The export failed, no file was written: {0}</source>
        <translation>导出失败，未写入任何文件：{0}</translation>
    </message>
    <message>
        <source>Forms</source>
        <translation>表单</translation>
    </message>
    <message>
        <source>All schools</source>
        <translation>全部学校</translation>
    </message>
    <message>
        <source>School:</source>
        <translation>学校：</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Include full ID numbers</source>
        <translation>包含完整证件号码</translation>
    </message>
    <message>
        <source>ID numbers are personal data, often of minors. This export is written to the audit log and reported to the hub&apos;s audit. Keep the file safe.</source>
        <translation>证件号码属于个人信息，其中多为未成年人。本次导出将记入审计日志并上报服务器审计。请妥善保管文件。</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>FigureView</name>
    <message>
        <source>Unit: {0}</source>
        <translation>单位：{0}</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>数值</translation>
    </message>
</context>
<context>
    <name>FormEditor</name>
    <message>
        <source>Problems</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Row {0}: {1}</source>
        <translation>第 {0} 行：{1}</translation>
    </message>
    <message>
        <source>Errors: {0}  Warnings: {1}</source>
        <translation>错误 {0} 个，警告 {1} 个</translation>
    </message>
    <message>
        <source>No problems found</source>
        <translation>没有发现问题</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>未保存</translation>
    </message>
    <message>
        <source>Saved {0}</source>
        <translation>已保存 {0}</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>已保存</translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message>
        <source>Record history</source>
        <translation>修改历史</translation>
    </message>
    <message>
        <source>The versions this computer received from the hub, newest first. Edits merged by the hub show as versions of their own.</source>
        <translation>本机从中心服务器收到的各个版本，最新的在最上面。由中心服务器自动合并的修改也单独列为一个版本。</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>修改内容</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>原值</translation>
    </message>
    <message>
        <source>After</source>
        <translation>新值</translation>
    </message>
    <message>
        <source>Not sent to the hub yet · {0} · {1}</source>
        <translation>尚未发送到中心服务器 · {0} · {1}</translation>
    </message>
    <message>
        <source>Version {0} · {1} · {2} · {3}</source>
        <translation>第 {0} 版 · {1} · {2} · {3}</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Edited</source>
        <translation>修改</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>提交</translation>
    </message>
    <message>
        <source>Withdrew</source>
        <translation>撤回</translation>
    </message>
    <message>
        <source>Reviewed</source>
        <translation>审核</translation>
    </message>
    <message>
        <source>Resolved a conflict</source>
        <translation>解决冲突</translation>
    </message>
    <message>
        <source>On this computer</source>
        <translation>本机操作记录</translation>
    </message>
    <message>
        <source>No versions yet: the record has not been synced.</source>
        <translation>还没有任何版本：该记录尚未同步。</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>No field changed</source>
        <translation>没有字段变化</translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <source>Signed in as {0} at {1}</source>
        <translation>已登录：{0}（{1}）</translation>
    </message>
    <message>
        <source>last synced {0}</source>
        <translation>上次同步 {0}</translation>
    </message>
    <message>
        <source>not synced yet</source>
        <translation>尚未同步</translation>
    </message>
    <message>
        <source>Local profile: records stay on this computer until it signs in.</source>
        <translation>本地数据：登录中心服务器之前，记录只保存在本机。</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>概览</translation>
    </message>
    <message>
        <source>Open list</source>
        <translation>打开列表</translation>
    </message>
    <message>
        <source>With issues</source>
        <translation>有问题</translation>
    </message>
    <message>
        <source>Conflicts or rejected</source>
        <translation>冲突或被拒绝</translation>
    </message>
    <message>
        <source>Waiting to sync</source>
        <translation>待同步</translation>
    </message>
</context>
<context>
    <name>ImportWizard</name>
    <message>
        <source>Import from Excel</source>
        <translation>从 Excel 导入</translation>
    </message>
    <message>
        <source>Reading {0}…</source>
        <translation>正在读取 {0}…</translation>
    </message>
    <message>
        <source>The file could not be read: {0}</source>
        <translation>无法读取文件：{0}</translation>
    </message>
    <message>
        <source>Nothing can be imported from this file.</source>
        <translation>此文件中没有可导入的记录。</translation>
    </message>
    <message>
        <source>{0} rows read: {1} can be imported, {2} left out; {3} lines in the report.</source>
        <translation>共读取 {0} 行：可导入 {1} 条，不导入 {2} 行；报告共 {3} 条。</translation>
    </message>
    <message>
        <source>The file cannot be imported: see the report.</source>
        <translation>此文件无法导入：请查看报告。</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>正在导入…</translation>
    </message>
    <message>
        <source>{0} records imported.</source>
        <translation>已导入 {0} 条记录。</translation>
    </message>
    <message>
        <source>The import failed, nothing was written: {0}</source>
        <translation>导入失败，未写入任何数据：{0}</translation>
    </message>
    <message>
        <source>Import {0} records</source>
        <translation>导入 {0} 条记录</translation>
    </message>
    <message>
        <source>Choose the form and the spreadsheet. The file is checked first and nothing is written until you confirm the report. Use the template for the columns.</source>
        <translation>请选择表单和电子表格。系统先检查文件，确认报告之前不会写入任何数据。列请按模板填写。</translation>
    </message>
    <message>
        <source>Form:</source>
        <translation>表单：</translation>
    </message>
    <message>
        <source>For school:</source>
        <translation>所属学校：</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Download the template…</source>
        <translation>下载模板…</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <source>Read the file</source>
        <translation>读取文件</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Log in to the hub</source>
        <translation>登录中心服务器</translation>
    </message>
    <message>
        <source>Your login has expired. Log in again to go on syncing; nothing waiting to sync has been lost.</source>
        <translation>登录已失效，请重新登录以继续同步。尚未同步的数据仍保留在本机，不会丢失。</translation>
    </message>
    <message>
        <source>Enter the address of your hub and your account. After the first login the app works without a network and syncs when it can.</source>
        <translation>请输入中心服务器地址和您的账号。首次登录后，没有网络也能正常填报，联网时会自动同步。</translation>
    </message>
    <message>
        <source>Hub address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Set by your IT staff for this computer.</source>
        <translation>此地址由 IT 人员为本机设定。</translation>
    </message>
    <message>
        <source>Logging in…</source>
        <translation>正在登录…</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Work on this computer only</source>
        <translation>暂不连接，仅在本机填报</translation>
    </message>
    <message>
        <source>Enter records without a hub. You can log in to a hub later in Settings; the records are sent then.</source>
        <translation>不连接中心服务器也可以填报。以后可在“设置”中登录中心服务器，届时再上传已填报的数据。</translation>
    </message>
    <message>
        <source>Enter the hub address, such as https://hub.example.edu.cn</source>
        <translation>请输入服务器地址，例如 https://hub.example.edu.cn</translation>
    </message>
    <message>
        <source>Enter your username and password.</source>
        <translation>请输入用户名和密码。</translation>
    </message>
    <message>
        <source>This profile holds the records of {0} at {1}; logged in as another account, they would be sent under it. Log in as {0}, or keep the other account in a profile of its own: start the app with chanjiao --profile FOLDER.</source>
        <translation>本机这份数据属于中心服务器 {1} 上的账号 {0}；换用其他账号登录，这些记录会被记到那个账号名下。请用 {0} 登录；其他账号请使用单独的数据目录：以 chanjiao --profile 文件夹 启动本程序。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>The record was changed on the hub: this is its newest version.</source>
        <translation>这条记录已在中心服务器上被修改，现在显示的是最新版本。</translation>
    </message>
    <message>
        <source>Saved as {0}</source>
        <translation>已保存为 {0}</translation>
    </message>
    <message>
        <source>Chanjiao Collect</source>
        <translation>产教融合数据采集</translation>
    </message>
    <message>
        <source>Home</source>
        <translation>首页</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>需要处理</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>查看(&amp;V)</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>&amp;New record</source>
        <translation>新建记录(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation>查找(&amp;F)…</translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation>删除(&amp;D)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Sync now</source>
        <translation>立即同步(&amp;S)</translation>
    </message>
    <message>
        <source>Log in to the hub…</source>
        <translation>登录中心服务器…</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>设置…</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>打印(&amp;P)…</translation>
    </message>
    <message>
        <source>Save as P&amp;DF…</source>
        <translation>另存为 PDF(&amp;D)…</translation>
    </message>
    <message>
        <source>{0} · {1}</source>
        <translation>{0} · {1}</translation>
    </message>
    <message>
        <source>Local profile (not signed in)</source>
        <translation>本地数据（未登录）</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>未保存</translation>
    </message>
    <message>
        <source>What you typed in the open record could not be saved; the reason is shown above the form. The window stays open so that nothing is lost: try again in a moment. Closing again lets you save it to a file instead.</source>
        <translation>当前记录中输入的内容未能保存，原因显示在表单上方。为避免丢失，窗口保持打开：请稍后再试。再次关闭时，可以改为把内容保存到文件。</translation>
    </message>
    <message>
        <source>What you typed in the open record cannot be saved to the data file; the reason is shown above the form.

Close anyway? What you typed is first written to a file in {0}.</source>
        <translation>当前记录中输入的内容无法保存到数据文件，原因显示在表单上方。

仍要关闭吗？关闭前会先把您输入的内容写入文件，位于 {0}。</translation>
    </message>
    <message>
        <source>What you typed could not be written to a file either: {0}

Close anyway and lose what you typed in the open record?</source>
        <translation>您输入的内容也无法写入文件：{0}

仍要关闭并放弃当前记录中输入的内容吗？</translation>
    </message>
    <message>
        <source>Saved to a file</source>
        <translation>已保存到文件</translation>
    </message>
    <message>
        <source>What you typed in the open record was saved to {0}.</source>
        <translation>当前记录中输入的内容已保存到 {0}。</translation>
    </message>
</context>
<context>
    <name>RecordListModel</name>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>Last changed</source>
        <translation>最后修改</translation>
    </message>
</context>
<context>
    <name>RecordListPage</name>
    <message>
        <source>Delete records</source>
        <translation>删除记录</translation>
    </message>
    <message>
        <source>Records submitted: {0}.</source>
        <translation>已提交 {0} 条记录。</translation>
    </message>
    <message>
        <source>Not submitted because of errors: {0} (open them to fix).</source>
        <translation>{0} 条因有错误未提交，请打开修改。</translation>
    </message>
    <message>
        <source>Submitted or approved already: {0}.</source>
        <translation>{0} 条已提交或已通过。</translation>
    </message>
    <message>
        <source>Delete the selected records ({0})? Only drafts and returned records are deleted; this cannot be undone.</source>
        <translation>删除所选的 {0} 条记录？只删除草稿和被退回的记录，删除后无法恢复。</translation>
    </message>
    <message>
        <source>Records deleted: {0}.</source>
        <translation>已删除 {0} 条记录。</translation>
    </message>
    <message>
        <source>Kept because they are not drafts: {0}.</source>
        <translation>{0} 条不是草稿，已保留。</translation>
    </message>
    <message>
        <source>New record</source>
        <translation>新建记录</translation>
    </message>
    <message>
        <source>Start a new record (Ctrl+N)</source>
        <translation>新建一条记录（Ctrl+N）</translation>
    </message>
    <message>
        <source>Submit selected</source>
        <translation>提交所选</translation>
    </message>
    <message>
        <source>Search: Chinese, or pinyin initials such as zs for 张三 (Ctrl+F)</source>
        <translation>搜索：输入汉字或拼音首字母，如 zs 查找张三（Ctrl+F）</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>Has issues</source>
        <translation>有问题</translation>
    </message>
    <message>
        <source>Has conflict</source>
        <translation>有冲突</translation>
    </message>
    <message>
        <source>Records: {0}</source>
        <translation>共 {0} 条</translation>
    </message>
    <message>
        <source>Submit selected ({0})</source>
        <translation>提交所选（{0}）</translation>
    </message>
</context>
<context>
    <name>RecordMarks</name>
    <message>
        <source>Conflict</source>
        <translation>冲突</translation>
    </message>
    <message>
        <source>Rejected by hub</source>
        <translation>被拒绝</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>有错误</translation>
    </message>
    <message>
        <source>Warnings</source>
        <translation>有警告</translation>
    </message>
    <message>
        <source>Not synced</source>
        <translation>未同步</translation>
    </message>
</context>
<context>
    <name>RecordPage</name>
    <message>
        <source>This record can no longer be withdrawn.</source>
        <translation>这条记录已无法撤回。</translation>
    </message>
    <message>
        <source>Withdrawn: the record is a draft again.</source>
        <translation>已撤回，记录恢复为草稿。</translation>
    </message>
    <message>
        <source>Delete record</source>
        <translation>删除记录</translation>
    </message>
    <message>
        <source>Delete this record? This cannot be undone.</source>
        <translation>删除这条记录？删除后无法恢复。</translation>
    </message>
    <message>
        <source>Record deleted.</source>
        <translation>记录已删除。</translation>
    </message>
    <message>
        <source>← Back to list</source>
        <translation>← 返回列表</translation>
    </message>
    <message>
        <source>Back to the list (Esc); what you typed is saved</source>
        <translation>返回列表（Esc），已输入的内容会自动保存</translation>
    </message>
    <message>
        <source>History…</source>
        <translation>历史记录…</translation>
    </message>
    <message>
        <source>Every version of this record: who, when, what</source>
        <translation>这条记录的每个版本：谁、何时、改了什么</translation>
    </message>
    <message>
        <source>Resolve conflict…</source>
        <translation>处理冲突…</translation>
    </message>
    <message>
        <source>Submit</source>
        <translation>提交</translation>
    </message>
    <message>
        <source>Send the record to the county (Ctrl+Enter)</source>
        <translation>提交给区县审核（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Withdraw</source>
        <translation>撤回</translation>
    </message>
    <message>
        <source>Take the record back to draft before the county reviews it</source>
        <translation>在区县审核之前撤回为草稿</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Save as a new record</source>
        <translation>另存为新记录</translation>
    </message>
    <message>
        <source>This record was approved or deleted meanwhile: the change was not saved.</source>
        <translation>这条记录已在此期间被审核通过或删除，刚才的修改未保存。</translation>
    </message>
    <message>
        <source>Not saved: this record no longer exists on this computer (it was deleted, perhaps by a sync). What you typed is still in this window: choose Save as a new record to keep it.</source>
        <translation>未保存：这台电脑上已不再存在这条记录（可能已被同步删除）。您输入的内容仍在此窗口中：请选择“另存为新记录”保留它。</translation>
    </message>
    <message>
        <source>Not saved: {0} What you typed is still in this window; saving is tried again in a few seconds.</source>
        <translation>未保存：{0} 您输入的内容仍在此窗口中，几秒后会自动再次保存。</translation>
    </message>
    <message>
        <source>Not saved: {0} What you typed is still in this window. When you close the window, you can save it to a file instead.</source>
        <translation>未保存：{0} 您输入的内容仍在此窗口中。关闭窗口时，可以改为把它保存到文件。</translation>
    </message>
    <message>
        <source>Fix the errors before submitting.</source>
        <translation>请先改正错误再提交。</translation>
    </message>
    <message>
        <source>Submitted. It is sent to the county at the next sync.</source>
        <translation>已提交，将在下次同步时发送给区县。</translation>
    </message>
    <message>
        <source>Cannot submit: errors to fix: {0}</source>
        <translation>无法提交：还有 {0} 个错误</translation>
    </message>
    <message>
        <source>Cannot submit: resolve the conflict first</source>
        <translation>无法提交：请先处理冲突</translation>
    </message>
    <message>
        <source>(no comment)</source>
        <translation>（无说明）</translation>
    </message>
    <message>
        <source>Returned by the county ({0}): {1}</source>
        <translation>区县退回（{0}）：{1}</translation>
    </message>
    <message>
        <source>The hub did not accept the last change:</source>
        <translation>中心服务器未接受最近一次修改：</translation>
    </message>
    <message>
        <source>This record was changed here and on the hub at the same time ({0}). It stays read-only until the conflict is resolved: choose Resolve conflict.</source>
        <translation>这条记录在本机和中心服务器上被同时修改（{0}），处理冲突之前只能查看：请点击“处理冲突”。</translation>
    </message>
</context>
<context>
    <name>RecordStatus</name>
    <message>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>已提交</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>已退回</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>已通过</translation>
    </message>
</context>
<context>
    <name>Rejection</name>
    <message>
        <source>You may not make this change: the record is outside your school or county, or your role does not allow it.</source>
        <translation>无权进行此修改：记录不属于您的学校或区县，或您的角色不允许。</translation>
    </message>
    <message>
        <source>The record is submitted or approved on the hub and cannot be changed now.</source>
        <translation>记录在中心服务器上已提交或已审核通过，现在不能修改。</translation>
    </message>
    <message>
        <source>The hub could not read this change: a value or the form is not one it knows.</source>
        <translation>中心服务器无法识别此修改：某个值或表单不是它认识的。</translation>
    </message>
    <message>
        <source>The hub has no such record, or it was deleted.</source>
        <translation>中心服务器上没有这条记录，或它已被删除。</translation>
    </message>
    <message>
        <source>The record was changed elsewhere: sync, then try again.</source>
        <translation>记录已在别处被修改，请先同步再操作。</translation>
    </message>
    <message>
        <source>The record&apos;s status on the hub does not allow this change.</source>
        <translation>记录在中心服务器上的状态不允许此操作。</translation>
    </message>
    <message>
        <source>The hub found errors in the record: they are shown beside their fields.</source>
        <translation>中心服务器发现记录中有错误，已显示在相应字段旁。</translation>
    </message>
</context>
<context>
    <name>RepeatGroupInput</name>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Add row</source>
        <translation>添加一行</translation>
    </message>
    <message>
        <source>Remove row</source>
        <translation>删除所选行</translation>
    </message>
</context>
<context>
    <name>ReviewQueue</name>
    <message>
        <source>School</source>
        <translation>学校</translation>
    </message>
    <message>
        <source>Nothing to approve: the selected records have warnings ({0}) or are not waiting for review ({1}). Open them to review one by one.</source>
        <translation>没有可通过的记录：所选记录有警告（{0} 条）或不在待审核状态（{1} 条）。请逐条打开审核。</translation>
    </message>
    <message>
        <source>Approve {0} records without warnings?</source>
        <translation>通过 {0} 条无警告的记录？</translation>
    </message>
    <message>
        <source>{0} selected records have warnings and are skipped: open them to review one by one.</source>
        <translation>所选记录中有 {0} 条带警告，已跳过：请逐条打开审核。</translation>
    </message>
    <message>
        <source>{0} selected records are not waiting for review and are skipped.</source>
        <translation>所选记录中有 {0} 条不在待审核状态，已跳过。</translation>
    </message>
    <message>
        <source>Approve records</source>
        <translation>批量通过</translation>
    </message>
    <message>
        <source>Approving {0} records…</source>
        <translation>正在通过 {0} 条记录…</translation>
    </message>
    <message>
        <source>Approved: {0}. The schools hear at the next sync.</source>
        <translation>已通过 {0} 条。下次同步时通知学校。</translation>
    </message>
    <message>
        <source>Skipped for warnings: {0}.</source>
        <translation>因警告跳过 {0} 条。</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>审核</translation>
    </message>
    <message>
        <source>All schools</source>
        <translation>全部学校</translation>
    </message>
    <message>
        <source>To review</source>
        <translation>待审核</translation>
    </message>
    <message>
        <source>Decided, not sent yet</source>
        <translation>已审核、尚未发送</translation>
    </message>
    <message>
        <source>All submitted</source>
        <translation>全部已提交</translation>
    </message>
    <message>
        <source>With or without warnings</source>
        <translation>有无警告均可</translation>
    </message>
    <message>
        <source>With warnings</source>
        <translation>有警告</translation>
    </message>
    <message>
        <source>Without warnings</source>
        <translation>无警告</translation>
    </message>
    <message>
        <source>Search: Chinese, or pinyin initials</source>
        <translation>搜索：中文或拼音首字母</translation>
    </message>
    <message>
        <source>Records: {0}</source>
        <translation>共 {0} 条</translation>
    </message>
    <message>
        <source>{0} ({1} to review)</source>
        <translation>{0}（待审核 {1} 条）</translation>
    </message>
    <message>
        <source>Decisions not sent yet: {0}</source>
        <translation>尚未发送的审核决定：{0} 条</translation>
    </message>
    <message>
        <source>Approve selected without warnings ({0})</source>
        <translation>通过所选无警告记录（{0}）</translation>
    </message>
    <message>
        <source>Approve selected without warnings</source>
        <translation>通过所选无警告记录</translation>
    </message>
</context>
<context>
    <name>ReviewRecordPage</name>
    <message>
        <source>Return to the school</source>
        <translation>退回学校</translation>
    </message>
    <message>
        <source>The school gets the record back to fix it, with your comment. Say what is wrong and what it should change.</source>
        <translation>记录将连同您的意见退回学校修改。请写明问题所在以及需要修改的内容。</translation>
    </message>
    <message>
        <source>Return</source>
        <translation>退回</translation>
    </message>
    <message>
        <source>Reopen an approved record</source>
        <translation>重新打开已通过的记录</translation>
    </message>
    <message>
        <source>The record goes back to the school as returned, so that it can be changed. Say why it is reopened.</source>
        <translation>记录将以“已退回”状态交还学校，以便修改。请写明重新打开的原因。</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>重新打开</translation>
    </message>
    <message>
        <source>Sync first: the newest version is not here yet.</source>
        <translation>请先同步：本机还没有最新版本。</translation>
    </message>
    <message>
        <source>This is what the school sent last: review it again.</source>
        <translation>这是学校最后提交的版本，请重新审核。</translation>
    </message>
    <message>
        <source>← Back to the queue</source>
        <translation>← 返回审核列表</translation>
    </message>
    <message>
        <source>Back to the review queue (Esc)</source>
        <translation>返回审核列表（Esc）</translation>
    </message>
    <message>
        <source>History…</source>
        <translation>历史…</translation>
    </message>
    <message>
        <source>Every version of this record: who, when, what</source>
        <translation>此记录的所有版本：谁、何时、改了什么</translation>
    </message>
    <message>
        <source>Correct a field</source>
        <translation>修正字段</translation>
    </message>
    <message>
        <source>Change a value yourself; the change is saved under your name</source>
        <translation>由您直接修改数值，修改以您的名义保存</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>Review again</source>
        <translation>重新审核</translation>
    </message>
    <message>
        <source>Resolve conflict…</source>
        <translation>解决冲突…</translation>
    </message>
    <message>
        <source>Your correction and the school&apos;s change met: choose what to keep</source>
        <translation>您的修正与学校的修改冲突：请选择保留哪个</translation>
    </message>
    <message>
        <source>Drop your refused decision and show the record as the school sent it last</source>
        <translation>放弃未被接受的审核决定，显示学校最后提交的版本</translation>
    </message>
    <message>
        <source>Return…</source>
        <translation>退回…</translation>
    </message>
    <message>
        <source>Send the record back to the school with a comment</source>
        <translation>附意见将记录退回学校</translation>
    </message>
    <message>
        <source>Reopen…</source>
        <translation>重新打开…</translation>
    </message>
    <message>
        <source>Give an approved record back to the school, with a comment</source>
        <translation>附意见将已通过的记录交还学校</translation>
    </message>
    <message>
        <source>This record can no longer be decided on: it changed meanwhile.</source>
        <translation>此记录已发生变化，无法再作此审核决定。</translation>
    </message>
    <message>
        <source>Approved. The school hears at the next sync.</source>
        <translation>已通过。下次同步时通知学校。</translation>
    </message>
    <message>
        <source>Returned to the school. It hears at the next sync.</source>
        <translation>已退回学校。下次同步时通知学校。</translation>
    </message>
    <message>
        <source>Reopened. The school hears at the next sync.</source>
        <translation>已重新打开。下次同步时通知学校。</translation>
    </message>
    <message>
        <source>Correcting: changes are saved as you type, under your name.</source>
        <translation>正在修正：修改随输入自动保存，以您的名义记录。</translation>
    </message>
    <message>
        <source>This record was approved meanwhile: the correction was not saved.</source>
        <translation>此记录在此期间已通过审核：修正未保存。</translation>
    </message>
    <message>
        <source>The correction is not saved yet: {0}</source>
        <translation>纠正内容尚未保存：{0}</translation>
    </message>
    <message>
        <source>Your decision was not accepted</source>
        <translation>您的审核决定未被接受</translation>
    </message>
    <message>
        <source>Approve, although it has warnings: {0}</source>
        <translation>通过（尽管有 {0} 条警告）</translation>
    </message>
    <message>
        <source>Approve the record: it is locked until you reopen it</source>
        <translation>通过此记录：通过后锁定，直到您重新打开</translation>
    </message>
    <message>
        <source>Changed since you reviewed it: the school changed this record before your decision reached the hub, so the hub did not take it. Choose Review again to see what the school sent, then decide again.</source>
        <translation>审核后记录已被修改：您的审核决定送达中心之前，学校修改了此记录，因此中心未接受您的决定。请点击“重新审核”查看学校提交的版本，然后重新作出决定。</translation>
    </message>
    <message>
        <source>Your correction and the school&apos;s change met on the same fields ({0}). Choose Resolve conflict to decide what to keep, then review it.</source>
        <translation>您的修正与学校的修改涉及相同字段（{0}）。请点击“解决冲突”决定保留哪个，然后再审核。</translation>
    </message>
    <message>
        <source>The hub did not accept the last change:</source>
        <translation>中心未接受最近的修改：</translation>
    </message>
    <message>
        <source>Approved by {0} at {1}</source>
        <translation>{0} 于 {1} 审核通过</translation>
    </message>
    <message>
        <source>Returned by {0} at {1}</source>
        <translation>{0} 于 {1} 退回</translation>
    </message>
    <message>
        <source>Reopened by {0} at {1}</source>
        <translation>{0} 于 {1} 重新打开</translation>
    </message>
    <message>
        <source>{0}: {1}</source>
        <translation>{0}：{1}</translation>
    </message>
    <message>
        <source>Warnings: {0}. They are shown in amber beside their fields and listed under Problems; check them before approving.</source>
        <translation>警告 {0} 条：以琥珀色显示在相应字段旁，并列在“问题”中；通过前请逐一核对。</translation>
    </message>
    <message>
        <source>Not sent yet: the hub gets this at the next sync.</source>
        <translation>尚未发送：下次同步时发送到中心。</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>General</source>
        <translation>常规</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>界面语言</translation>
    </message>
    <message>
        <source>Hub and sync</source>
        <translation>中心服务器与同步</translation>
    </message>
    <message>
        <source>Hub address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <source>Set by your IT staff for this computer.</source>
        <translation>此地址由 IT 人员为本机设定。</translation>
    </message>
    <message>
        <source>A new address is used from the next login.</source>
        <translation>新地址在下次登录时生效。</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>账号</translation>
    </message>
    <message>
        <source>Signed in as {0} at {1}</source>
        <translation>已登录：{0}（{1}）</translation>
    </message>
    <message>
        <source>Log in again…</source>
        <translation>重新登录…</translation>
    </message>
    <message>
        <source>Working on this computer only: records are not sent anywhere.</source>
        <translation>仅在本机使用：数据不会发送到任何地方。</translation>
    </message>
    <message>
        <source>Log in to a hub…</source>
        <translation>登录中心服务器…</translation>
    </message>
    <message>
        <source>Sync every</source>
        <translation>同步间隔</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>Set by your IT staff.</source>
        <translation>由 IT 人员设定。</translation>
    </message>
    <message>
        <source>while the hub can be reached</source>
        <translation>（能连接中心服务器时自动同步）</translation>
    </message>
    <message>
        <source>Data, backups and logs</source>
        <translation>数据、备份与日志</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>数据文件夹</translation>
    </message>
    <message>
        <source>Your records are kept here, in your own user folder on this computer. The folder cannot be changed: the scheduled sync and your IT staff look for the records here. To keep a copy elsewhere, back up now and copy the newest file in its backups folder.</source>
        <translation>您的记录保存在这里，即本机您自己的用户文件夹中。此文件夹不能更改：定时同步和 IT 人员都在这里查找记录。如需在别处保留一份，请点“立即备份”，再复制其中 backups 文件夹里最新的文件。</translation>
    </message>
    <message>
        <source>Your records are kept in this folder because the app was started with it (--profile), as your IT staff set it up. It changes only with how the app is started. To keep a copy elsewhere, back up now and copy the newest file in its backups folder.</source>
        <translation>您的记录保存在此文件夹，因为程序启动时指定了它（--profile），这是 IT 人员的设置；只有改变程序的启动方式才能更换。如需在别处保留一份，请点“立即备份”，再复制其中 backups 文件夹里最新的文件。</translation>
    </message>
    <message>
        <source>Log folder</source>
        <translation>日志文件夹</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Backups (a new one is made every day; the latest seven are kept):</source>
        <translation>备份（每天自动备份一次，保留最近 7 份）：</translation>
    </message>
    <message>
        <source>Back up now</source>
        <translation>立即备份</translation>
    </message>
    <message>
        <source>Restore the selected backup…</source>
        <translation>从所选备份恢复…</translation>
    </message>
    <message>
        <source>made by hand</source>
        <translation>手动备份</translation>
    </message>
    <message>
        <source>daily</source>
        <translation>每日自动备份</translation>
    </message>
    <message>
        <source>before an update</source>
        <translation>升级前备份</translation>
    </message>
    <message>
        <source>No backups yet.</source>
        <translation>还没有备份。</translation>
    </message>
    <message>
        <source>Backing up…</source>
        <translation>正在备份…</translation>
    </message>
    <message>
        <source>Backed up to {0}</source>
        <translation>已备份到 {0}</translation>
    </message>
    <message>
        <source>Restore a backup</source>
        <translation>从备份恢复</translation>
    </message>
    <message>
        <source>Replace the data on this computer with the backup of {0}?</source>
        <translation>用 {0} 的备份替换本机的数据吗？</translation>
    </message>
    <message>
        <source>Everything entered after that time and not yet synced is no longer shown. The current data file is kept aside in the data folder, not deleted.</source>
        <translation>该时间之后填报且尚未同步的内容将不再显示。当前的数据文件会另存在数据文件夹中，不会删除。</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
</context>
<context>
    <name>SyncStatusWidget</name>
    <message>
        <source>Needs attention: {0}</source>
        <translation>需要处理 {0}</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <source>Local only (no hub)</source>
        <translation>仅本机使用（未连接中心服务器）</translation>
    </message>
    <message>
        <source>Syncing: received {0}</source>
        <translation>正在同步：已接收 {0} 条</translation>
    </message>
    <message>
        <source>Syncing {0}/{1}</source>
        <translation>正在同步 {0}/{1}</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>正在同步…</translation>
    </message>
    <message>
        <source>Not synced yet</source>
        <translation>尚未同步</translation>
    </message>
    <message>
        <source>Last synced {0}</source>
        <translation>上次同步 {0}</translation>
    </message>
    <message>
        <source>Offline: cannot reach the hub</source>
        <translation>离线：无法连接中心服务器</translation>
    </message>
    <message>
        <source>Certificate not trusted: ask IT</source>
        <translation>证书不受信任，请联系 IT 人员</translation>
    </message>
    <message>
        <source>Login expired: log in again</source>
        <translation>登录已过期，请重新登录</translation>
    </message>
    <message>
        <source>Hub version mismatch: update the app</source>
        <translation>与中心服务器版本不符，请升级客户端</translation>
    </message>
    <message>
        <source>Hub not answering: will retry</source>
        <translation>中心服务器无应答，稍后自动重试</translation>
    </message>
    <message>
        <source>Database in use by another program: will retry</source>
        <translation>数据库正被另一个程序占用，稍后自动重试</translation>
    </message>
    <message>
        <source>Sync failed</source>
        <translation>同步失败</translation>
    </message>
    <message>
        <source>Records stay on this computer. Log in to a hub in Settings to send them.</source>
        <translation>数据只保存在本机。在“设置”中登录中心服务器后即可上传。</translation>
    </message>
    <message>
        <source>Sending your changes, then receiving the hub&apos;s.</source>
        <translation>正在上传本机的修改，然后接收中心服务器的更新。</translation>
    </message>
    <message>
        <source>{0} changes wait to be sent</source>
        <translation>{0} 项修改等待上传</translation>
    </message>
</context>
<context>
    <name>Targets</name>
    <message>
        <source>Training bases</source>
        <translation>实训基地数</translation>
    </message>
    <message>
        <source>Productive training bases</source>
        <translation>生产性实训基地数</translation>
    </message>
    <message>
        <source>Teacher placement compliance (%)</source>
        <translation>教师企业实践达标率（%）</translation>
    </message>
    <message>
        <source>180 days within 5 years</source>
        <translation>5 年内累计 180 天</translation>
    </message>
    <message>
        <source>New teacher: 180 days in 3 years</source>
        <translation>新教师 3 年内 180 天</translation>
    </message>
</context>
<context>
    <name>TargetsDialog</name>
    <message>
        <source>Targets</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>未设定</translation>
    </message>
    <message>
        <source>The county&apos;s targets, remembered on this computer. 0 leaves a target out.</source>
        <translation>本县的目标，保存在本机。填 0 表示不设此目标。</translation>
    </message>
</context>
<context>
    <name>TeachersModel</name>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>School</source>
        <translation>学校</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>天数</translation>
    </message>
    <message>
        <source>Required</source>
        <translation>应达天数</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>Standing</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>已逾期</translation>
    </message>
    <message>
        <source>On track (3 years not over)</source>
        <translation>进行中（3 年未满）</translation>
    </message>
</context>
<context>
    <name>YesNoInput</name>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <source>This computer does not trust the hub&apos;s certificate. Ask your IT staff to install the certificate the hub uses.</source>
        <translation>本机不信任数据中心的安全证书。请联系信息技术人员安装数据中心使用的证书。</translation>
    </message>
    <message>
        <source>The hub did not answer in time. Try again in a few minutes.</source>
        <translation>数据中心没有响应，请几分钟后再试。</translation>
    </message>
    <message>
        <source>Cannot reach the hub. Check that this computer is connected to the network.</source>
        <translation>无法连接数据中心，请检查本机的网络连接。</translation>
    </message>
    <message>
        <source>The app may not write to a file it needs ({0}). Ask your IT staff to check the folder&apos;s permissions.</source>
        <translation>程序无权写入所需文件（{0}）。请联系信息技术人员检查该文件夹的权限。</translation>
    </message>
    <message>
        <source>The disk is full. Free some space, then try again.</source>
        <translation>磁盘已满，请清理出一些空间后再试。</translation>
    </message>
    <message>
        <source>The data file is still being checked for damage, as it is each time the app opens it. Nothing was lost: try again in a moment.</source>
        <translation>应用每次打开数据文件时都会检查它是否完好，检查尚未完成。数据没有丢失，请稍后再试。</translation>
    </message>
    <message>
        <source>The data file is in use by another program. Close other copies of the app, then try again.</source>
        <translation>数据文件正被另一个程序使用。请关闭本程序的其他窗口后再试。</translation>
    </message>
    <message>
        <source>The data file is damaged. Restore the latest backup in Settings, or ask your IT staff for help.</source>
        <translation>数据文件已损坏。请在“设置”中恢复最近的备份，或联系信息技术人员。</translation>
    </message>
    <message>
        <source>A number is too large to be stored. Check the numbers you typed.</source>
        <translation>有数字太大，无法保存。请检查输入的数字。</translation>
    </message>
    <message>
        <source>The computer ran out of memory. Close other programs, then try again.</source>
        <translation>电脑内存不足，请关闭其他程序后再试。</translation>
    </message>
    <message>
        <source>Something unexpected went wrong, and what you were doing may not have finished. Records saved before are not affected.</source>
        <translation>发生了意外错误，刚才的操作可能没有完成。此前已保存的记录不受影响。</translation>
    </message>
</context>
<context>
    <name>printing</name>
    <message>
        <source>Student</source>
        <translation>学生</translation>
    </message>
    <message>
        <source>School mentor</source>
        <translation>学校指导教师</translation>
    </message>
    <message>
        <source>Enterprise mentor</source>
        <translation>企业指导人员</translation>
    </message>
    <message>
        <source>Status: {0}</source>
        <translation>状态：{0}</translation>
    </message>
    <message>
        <source>School: {0}</source>
        <translation>学校：{0}</translation>
    </message>
    <message>
        <source>Last changed {0} by {1}</source>
        <translation>最后修改：{0}（{1}）</translation>
    </message>
    <message>
        <source>Record {0}</source>
        <translation>记录编号：{0}</translation>
    </message>
    <message>
        <source>{0}: {1}</source>
        <translation>{0}：{1}</translation>
    </message>
    <message>
        <source>Signature</source>
        <translation>签字</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Save as PDF</source>
        <translation>另存为 PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件（*.pdf）</translation>
    </message>
</context>
<context>
    <name>values</name>
    <message>
        <source>row {0}</source>
        <translation>第 {0} 行</translation>
    </message>
    <message>
        <source>a removed row</source>
        <translation>已删除的行</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>(not filled in)</source>
        <translation>（未填写）</translation>
    </message>
    <message>
        <source>Rows: {0}</source>
        <translation>共 {0} 行</translation>
    </message>
</context>
</TS>
