<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>DateInput</name>
    <message>
        <source>YYYY-MM-DD</source>
        <translation>年-月-日</translation>
    </message>
    <message>
        <source>Choose from a calendar (Alt+Down)</source>
        <translation>从日历中选择(Alt+↓)</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <source>Chanjiao Collect: an error happened</source>
        <translation>产教融合数据采集:出现错误</translation>
    </message>
    <message>
        <source>The details were written to the log file:
{0}</source>
        <translation>详细信息已写入日志文件:
{0}</translation>
    </message>
    <message>
        <source>Open log folder</source>
        <translation>打开日志文件夹</translation>
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
        <translation>第 {0} 行:{1}</translation>
    </message>
    <message>
        <source>Errors: {0}  Warnings: {1}</source>
        <translation>错误 {0} 个,警告 {1} 个</translation>
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
        <translation>数据中心没有响应,请几分钟后再试。</translation>
    </message>
    <message>
        <source>Cannot reach the hub. Check that this computer is connected to the network.</source>
        <translation>无法连接数据中心,请检查本机的网络连接。</translation>
    </message>
    <message>
        <source>The app may not write to a file it needs ({0}). Ask your IT staff to check the folder&apos;s permissions.</source>
        <translation>程序无权写入所需文件({0})。请联系信息技术人员检查该文件夹的权限。</translation>
    </message>
    <message>
        <source>The disk is full. Free some space, then try again.</source>
        <translation>磁盘已满,请清理出一些空间后再试。</translation>
    </message>
    <message>
        <source>The data file is in use by another program. Close other copies of the app, then try again.</source>
        <translation>数据文件正被另一个程序使用。请关闭本程序的其他窗口后再试。</translation>
    </message>
    <message>
        <source>The data file is damaged. Restore the latest backup in Settings, or ask your IT staff for help.</source>
        <translation>数据文件已损坏。请在“设置”中恢复最近的备份,或联系信息技术人员。</translation>
    </message>
    <message>
        <source>The computer ran out of memory. Close other programs, then try again.</source>
        <translation>电脑内存不足,请关闭其他程序后再试。</translation>
    </message>
    <message>
        <source>Something unexpected went wrong, and what you were doing may not have finished. Records saved before are not affected.</source>
        <translation>发生了意外错误,刚才的操作可能没有完成。此前已保存的记录不受影响。</translation>
    </message>
</context>
</TS>
