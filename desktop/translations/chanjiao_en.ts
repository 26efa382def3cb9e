<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AttentionPage</name>
    <message>
        <source>Conflict</source>
        <translation>Conflict</translation>
    </message>
    <message>
        <source>Rejected by the hub</source>
        <translation>Rejected by the hub</translation>
    </message>
    <message>
        <source>Returned by the county</source>
        <translation>Returned by the county</translation>
    </message>
    <message>
        <source>Nothing needs your attention.</source>
        <translation>Nothing needs your attention.</translation>
    </message>
    <message>
        <source>These records wait for you: open one (double-click or Enter) to fix it. Edits to a rejected or conflicting record are held until it is fixed.</source>
        <translation>These records wait for you: open one (double-click or Enter) to fix it. Edits to a rejected or conflicting record are held until it is fixed.</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>Needs attention</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Why</translation>
    </message>
    <message>
        <source>Form</source>
        <translation>Form</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Record</translation>
    </message>
    <message>
        <source>What was said</source>
        <translation>What was said</translation>
    </message>
    <message>
        <source>Changed here and on the hub ({0}) at the same time: {1}</source>
        <translation>Changed here and on the hub ({0}) at the same time: {1}</translation>
    </message>
    <message>
        <source>Changed since you reviewed it: the hub did not take your decision. Open it to review it again.</source>
        <translation>Changed since you reviewed it: the hub did not take your decision. Open it to review it again.</translation>
    </message>
    <message>
        <source>(no comment)</source>
        <translation>(no comment)</translation>
    </message>
    <message>
        <source>{0}: {1}</source>
        <translation>{0}: {1}</translation>
    </message>
</context>
<context>
    <name>CommentDialog</name>
    <message>
        <source>What the school should change, in words it can act on</source>
        <translation>What the school should change, in words it can act on</translation>
    </message>
    <message>
        <source>A comment is required.</source>
        <translation>A comment is required.</translation>
    </message>
</context>
<context>
    <name>ConflictDialog</name>
    <message>
        <source>Resolve a conflict</source>
        <translation>Resolve a conflict</translation>
    </message>
    <message>
        <source>This computer&apos;s edit and the hub&apos;s version changed the same fields. Choose for each field which value to keep, or type another, then click Resolve. Other changes of both sides are kept.</source>
        <translation>This computer&apos;s edit and the hub&apos;s version changed the same fields. Choose for each field which value to keep, or type another, then click Resolve. Other changes of both sides are kept.</translation>
    </message>
    <message>
        <source>Your edit</source>
        <translation>Your edit</translation>
    </message>
    <message>
        <source>Edit by {0}</source>
        <translation>Edit by {0}</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Field</translation>
    </message>
    <message>
        <source>Type another value</source>
        <translation>Type another value</translation>
    </message>
    <message>
        <source>(deleted)</source>
        <translation>(deleted)</translation>
    </message>
    <message>
        <source>This record was deleted on this computer while it was changed on the hub, so the hub kept it. A deleted record cannot be brought back here: ask your county reviewer to delete it on the hub or to keep it.</source>
        <translation>This record was deleted on this computer while it was changed on the hub, so the hub kept it. A deleted record cannot be brought back here: ask your county reviewer to delete it on the hub or to keep it.</translation>
    </message>
    <message>
        <source>Before both edits</source>
        <translation>Before both edits</translation>
    </message>
    <message>
        <source>On the hub</source>
        <translation>On the hub</translation>
    </message>
    <message>
        <source>Keep all mine</source>
        <translation>Keep all mine</translation>
    </message>
    <message>
        <source>Keep all of {0}&apos;s</source>
        <translation>Keep all of {0}&apos;s</translation>
    </message>
    <message>
        <source>Keep all of the hub&apos;s</source>
        <translation>Keep all of the hub&apos;s</translation>
    </message>
    <message>
        <source>Resolve</source>
        <translation>Resolve</translation>
    </message>
    <message>
        <source>version {0}</source>
        <translation>version {0}</translation>
    </message>
    <message>
        <source>Choose a value for every field first.</source>
        <translation>Choose a value for every field first.</translation>
    </message>
    <message>
        <source>This conflict was already resolved. Close this window to see the record.</source>
        <translation>This conflict was already resolved. Close this window to see the record.</translation>
    </message>
</context>
<context>
    <name>CountyWorkspace</name>
    <message>
        <source>Review</source>
        <translation>Review</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>Needs attention</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>Dashboard</translation>
    </message>
    <message>
        <source>Duplicates</source>
        <translation>Duplicates</translation>
    </message>
    <message>
        <source>Excel</source>
        <translation>Excel</translation>
    </message>
</context>
<context>
    <name>DamagedDataDialog</name>
    <message>
        <source>Chanjiao Collect: the data file is damaged</source>
        <translation>Chanjiao Collect: the data file is damaged</translation>
    </message>
    <message>
        <source>Restore the selected backup</source>
        <translation>Restore the selected backup</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>The data file on this computer is damaged and cannot be used:
{0}

Restore one of these backups. Everything entered after it and not yet synced is no longer shown; the damaged file is kept aside in the data folder for your IT staff.</source>
        <translation>The data file on this computer is damaged and cannot be used:
{0}

Restore one of these backups. Everything entered after it and not yet synced is no longer shown; the damaged file is kept aside in the data folder for your IT staff.</translation>
    </message>
    <message>
        <source>The data file on this computer is damaged and cannot be used:
{0}

There is no good backup to restore. Ask your IT staff for help; records already synced are safe on the hub.</source>
        <translation>The data file on this computer is damaged and cannot be used:
{0}

There is no good backup to restore. Ask your IT staff for help; records already synced are safe on the hub.</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <source>The dashboard could not be counted: {0}</source>
        <translation>The dashboard could not be counted: {0}</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>Dashboard</translation>
    </message>
    <message>
        <source>School:</source>
        <translation>School:</translation>
    </message>
    <message>
        <source>All schools (county)</source>
        <translation>All schools (county)</translation>
    </message>
    <message>
        <source>Targets…</source>
        <translation>Targets…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation>Counting…</translation>
    </message>
    <message>
        <source>Progress against the county&apos;s targets</source>
        <translation>Progress against the county&apos;s targets</translation>
    </message>
    <message>
        <source>Teachers short of 180 days in enterprises</source>
        <translation>Teachers short of 180 days in enterprises</translation>
    </message>
    <message>
        <source>Double-click a teacher to open the record.</source>
        <translation>Double-click a teacher to open the record.</translation>
    </message>
</context>
<context>
    <name>DateInput</name>
    <message>
        <source>YYYY-MM-DD</source>
        <translation>YYYY-MM-DD</translation>
    </message>
    <message>
        <source>Choose from a calendar (Alt+Down)</source>
        <translation>Choose from a calendar (Alt+Down)</translation>
    </message>
</context>
<context>
    <name>Duplicates</name>
    <message>
        <source>Student in overlapping internships</source>
        <translation>Student in overlapping internships</translation>
    </message>
    <message>
        <source>Teacher in overlapping placements</source>
        <translation>Teacher in overlapping placements</translation>
    </message>
    <message>
        <source>One USCC under different enterprise names</source>
        <translation>One USCC under different enterprise names</translation>
    </message>
</context>
<context>
    <name>DuplicatesPage</name>
    <message>
        <source>The duplicates could not be found: {0}</source>
        <translation>The duplicates could not be found: {0}</translation>
    </message>
    <message>
        <source>{0} found</source>
        <translation>{0} found</translation>
    </message>
    <message>
        <source>(no longer on this computer)</source>
        <translation>(no longer on this computer)</translation>
    </message>
    <message>
        <source>Double-click to open · {0}</source>
        <translation>Double-click to open · {0}</translation>
    </message>
    <message>
        <source>Duplicates and inconsistencies</source>
        <translation>Duplicates and inconsistencies</translation>
    </message>
    <message>
        <source>The same student, teacher or enterprise recorded in ways that cannot all be right, across the county&apos;s schools. Open a line to see the records involved; double-click a record to open it.</source>
        <translation>The same student, teacher or enterprise recorded in ways that cannot all be right, across the county&apos;s schools. Open a line to see the records involved; double-click a record to open it.</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Key</translation>
    </message>
    <message>
        <source>Schools</source>
        <translation>Schools</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Detail</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <source>Chanjiao Collect: an error happened</source>
        <translation>Chanjiao Collect: an error happened</translation>
    </message>
    <message>
        <source>The details were written to the log file:
{0}</source>
        <translation>The details were written to the log file:
{0}</translation>
    </message>
    <message>
        <source>Open log folder</source>
        <translation>Open log folder</translation>
    </message>
</context>
<context>
    <name>ExcelMenu</name>
    <message>
        <source>E&amp;xcel</source>
        <translation>E&amp;xcel</translation>
    </message>
    <message>
        <source>&amp;Export to Excel…</source>
        <translation>&amp;Export to Excel…</translation>
    </message>
    <message>
        <source>&amp;Import from Excel…</source>
        <translation>&amp;Import from Excel…</translation>
    </message>
    <message>
        <source>Download import &amp;template</source>
        <translation>Download import &amp;template</translation>
    </message>
</context>
<context>
    <name>ExcelPage</name>
    <message>
        <source>Excel</source>
        <translation>Excel</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>A workbook of the county&apos;s records, or of one school&apos;s: one sheet per form, repeat groups on their own sheets, and a summary of the dashboard.</source>
        <translation>A workbook of the county&apos;s records, or of one school&apos;s: one sheet per form, repeat groups on their own sheets, and a summary of the dashboard.</translation>
    </message>
    <message>
        <source>Export to Excel…</source>
        <translation>Export to Excel…</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>Records from a school&apos;s spreadsheet, as drafts. The file is checked first; nothing is written until you confirm its report.</source>
        <translation>Records from a school&apos;s spreadsheet, as drafts. The file is checked first; nothing is written until you confirm its report.</translation>
    </message>
    <message>
        <source>Import from Excel…</source>
        <translation>Import from Excel…</translation>
    </message>
    <message>
        <source>Import templates</source>
        <translation>Import templates</translation>
    </message>
</context>
<context>
    <name>ExcelTemplates</name>
    <message>
        <source>Save import template</source>
        <translation>Save import template</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export to Excel</source>
        <translation>Export to Excel</translation>
    </message>
    <message>
        <source>The folder {0} does not exist.</source>
        <translation>The folder {0} does not exist.</translation>
    </message>
    <message>
        <source>Replace {0}?</source>
        <translation>Replace {0}?</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <source>Exported {0} records to {1}</source>
        <translation>Exported {0} records to {1}</translation>
    </message>
    <message>
        <source>Cancelled: no file was written.</source>
        <translation>Cancelled: no file was written.</translation>
    </message>
    <message>
        <source>The export failed, no file was written: {0}</source>
        <translation>The export failed, no file was written: {0}</translation>
    </message>
    <message>
        <source>Forms</source>
        <translation>Forms</translation>
    </message>
    <message>
        <source>All schools</source>
        <translation>All schools</translation>
    </message>
    <message>
        <source>School:</source>
        <translation>School:</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>File:</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <source>Include full ID numbers</source>
        <translation>Include full ID numbers</translation>
    </message>
    <message>
        <source>ID numbers are personal data, often of minors. This export is written to the audit log and reported to the hub&apos;s audit. Keep the file safe.</source>
        <translation>ID numbers are personal data, often of minors. This export is written to the audit log and reported to the hub&apos;s audit. Keep the file safe.</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>FigureView</name>
    <message>
        <source>Unit: {0}</source>
        <translation>Unit: {0}</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Value</translation>
    </message>
</context>
<context>
    <name>FormEditor</name>
    <message>
        <source>Problems</source>
        <translation>Problems</translation>
    </message>
    <message>
        <source>Row {0}: {1}</source>
        <translation>Row {0}: {1}</translation>
    </message>
    <message>
        <source>Errors: {0}  Warnings: {1}</source>
        <translation>Errors: {0}  Warnings: {1}</translation>
    </message>
    <message>
        <source>No problems found</source>
        <translation>No problems found</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>Not saved</translation>
    </message>
    <message>
        <source>Saved {0}</source>
        <translation>Saved {0}</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>Saved</translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message>
        <source>Record history</source>
        <translation>Record history</translation>
    </message>
    <message>
        <source>The versions this computer received from the hub, newest first. Edits merged by the hub show as versions of their own.</source>
        <translation>The versions this computer received from the hub, newest first. Edits merged by the hub show as versions of their own.</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Change</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>Before</translation>
    </message>
    <message>
        <source>After</source>
        <translation>After</translation>
    </message>
    <message>
        <source>Not sent to the hub yet · {0} · {1}</source>
        <translation>Not sent to the hub yet · {0} · {1}</translation>
    </message>
    <message>
        <source>Version {0} · {1} · {2} · {3}</source>
        <translation>Version {0} · {1} · {2} · {3}</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>Deleted</translation>
    </message>
    <message>
        <source>Edited</source>
        <translation>Edited</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>Submitted</translation>
    </message>
    <message>
        <source>Withdrew</source>
        <translation>Withdrew</translation>
    </message>
    <message>
        <source>Reviewed</source>
        <translation>Reviewed</translation>
    </message>
    <message>
        <source>Resolved a conflict</source>
        <translation>Resolved a conflict</translation>
    </message>
    <message>
        <source>On this computer</source>
        <translation>On this computer</translation>
    </message>
    <message>
        <source>No versions yet: the record has not been synced.</source>
        <translation>No versions yet: the record has not been synced.</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>No field changed</source>
        <translation>No field changed</translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <source>Signed in as {0} at {1}</source>
        <translation>Signed in as {0} at {1}</translation>
    </message>
    <message>
        <source>last synced {0}</source>
        <translation>last synced {0}</translation>
    </message>
    <message>
        <source>not synced yet</source>
        <translation>not synced yet</translation>
    </message>
    <message>
        <source>Local profile: records stay on this computer until it signs in.</source>
        <translation>Local profile: records stay on this computer until it signs in.</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>Overview</translation>
    </message>
    <message>
        <source>Open list</source>
        <translation>Open list</translation>
    </message>
    <message>
        <source>With issues</source>
        <translation>With issues</translation>
    </message>
    <message>
        <source>Conflicts or rejected</source>
        <translation>Conflicts or rejected</translation>
    </message>
    <message>
        <source>Waiting to sync</source>
        <translation>Waiting to sync</translation>
    </message>
</context>
<context>
    <name>ImportWizard</name>
    <message>
        <source>Import from Excel</source>
        <translation>Import from Excel</translation>
    </message>
    <message>
        <source>Reading {0}…</source>
        <translation>Reading {0}…</translation>
    </message>
    <message>
        <source>The file could not be read: {0}</source>
        <translation>The file could not be read: {0}</translation>
    </message>
    <message>
        <source>Nothing can be imported from this file.</source>
        <translation>Nothing can be imported from this file.</translation>
    </message>
    <message>
        <source>{0} rows read: {1} can be imported, {2} left out; {3} lines in the report.</source>
        <translation>{0} rows read: {1} can be imported, {2} left out; {3} lines in the report.</translation>
    </message>
    <message>
        <source>The file cannot be imported: see the report.</source>
        <translation>The file cannot be imported: see the report.</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>Importing…</translation>
    </message>
    <message>
        <source>{0} records imported.</source>
        <translation>{0} records imported.</translation>
    </message>
    <message>
        <source>The import failed, nothing was written: {0}</source>
        <translation>The import failed, nothing was written: {0}</translation>
    </message>
    <message>
        <source>Import {0} records</source>
        <translation>Import {0} records</translation>
    </message>
    <message>
        <source>Choose the form and the spreadsheet. The file is checked first and nothing is written until you confirm the report. Use the template for the columns.</source>
        <translation>Choose the form and the spreadsheet. The file is checked first and nothing is written until you confirm the report. Use the template for the columns.</translation>
    </message>
    <message>
        <source>Form:</source>
        <translation>Form:</translation>
    </message>
    <message>
        <source>For school:</source>
        <translation>For school:</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>File:</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <source>Download the template…</source>
        <translation>Download the template…</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>Row</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Field</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>Read the file</source>
        <translation>Read the file</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Log in to the hub</source>
        <translation>Log in to the hub</translation>
    </message>
    <message>
        <source>Your login has expired. Log in again to go on syncing; nothing waiting to sync has been lost.</source>
        <translation>Your login has expired. Log in again to go on syncing; nothing waiting to sync has been lost.</translation>
    </message>
    <message>
        <source>Enter the address of your hub and your account. After the first login the app works without a network and syncs when it can.</source>
        <translation>Enter the address of your hub and your account. After the first login the app works without a network and syncs when it can.</translation>
    </message>
    <message>
        <source>Hub address</source>
        <translation>Hub address</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>Username</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>Set by your IT staff for this computer.</source>
        <translation>Set by your IT staff for this computer.</translation>
    </message>
    <message>
        <source>Logging in…</source>
        <translation>Logging in…</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>Log in</translation>
    </message>
    <message>
        <source>Work on this computer only</source>
        <translation>Work on this computer only</translation>
    </message>
    <message>
        <source>Enter records without a hub. You can log in to a hub later in Settings; the records are sent then.</source>
        <translation>Enter records without a hub. You can log in to a hub later in Settings; the records are sent then.</translation>
    </message>
    <message>
        <source>Enter the hub address, such as https://hub.example.edu.cn</source>
        <translation>Enter the hub address, such as https://hub.example.edu.cn</translation>
    </message>
    <message>
        <source>Enter your username and password.</source>
        <translation>Enter your username and password.</translation>
    </message>
    <message>
        <source>This profile holds the records of {0} at {1}; logged in as another account, they would be sent under it. Log in as {0}, or keep the other account in a profile of its own: start the app with chanjiao --profile FOLDER.</source>
        <translation>This profile holds the records of {0} at {1}; logged in as another account, they would be sent under it. Log in as {0}, or keep the other account in a profile of its own: start the app with chanjiao --profile FOLDER.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>The record was changed on the hub: this is its newest version.</source>
        <translation>The record was changed on the hub: this is its newest version.</translation>
    </message>
    <message>
        <source>Saved as {0}</source>
        <translation>Saved as {0}</translation>
    </message>
    <message>
        <source>Chanjiao Collect</source>
        <translation>Chanjiao Collect</translation>
    </message>
    <message>
        <source>Home</source>
        <translation>Home</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>Needs attention</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Edit</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>&amp;New record</source>
        <translation>&amp;New record</translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation>&amp;Find…</translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation>&amp;Delete…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>&amp;Sync now</source>
        <translation>&amp;Sync now</translation>
    </message>
    <message>
        <source>Log in to the hub…</source>
        <translation>Log in to the hub…</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Settings…</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>&amp;Print…</translation>
    </message>
    <message>
        <source>Save as P&amp;DF…</source>
        <translation>Save as P&amp;DF…</translation>
    </message>
    <message>
        <source>{0} · {1}</source>
        <translation>{0} · {1}</translation>
    </message>
    <message>
        <source>Local profile (not signed in)</source>
        <translation>Local profile (not signed in)</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>Not saved</translation>
    </message>
    <message>
        <source>What you typed in the open record could not be saved; the reason is shown above the form. The window stays open so that nothing is lost: try again in a moment. Closing again lets you save it to a file instead.</source>
        <translation>What you typed in the open record could not be saved; the reason is shown above the form. The window stays open so that nothing is lost: try again in a moment. Closing again lets you save it to a file instead.</translation>
    </message>
    <message>
        <source>What you typed in the open record cannot be saved to the data file; the reason is shown above the form.

Close anyway? What you typed is first written to a file in {0}.</source>
        <translation>What you typed in the open record cannot be saved to the data file; the reason is shown above the form.

Close anyway? What you typed is first written to a file in {0}.</translation>
    </message>
    <message>
        <source>What you typed could not be written to a file either: {0}

Close anyway and lose what you typed in the open record?</source>
        <translation>What you typed could not be written to a file either: {0}

Close anyway and lose what you typed in the open record?</translation>
    </message>
    <message>
        <source>Saved to a file</source>
        <translation>Saved to a file</translation>
    </message>
    <message>
        <source>What you typed in the open record was saved to {0}.</source>
        <translation>What you typed in the open record was saved to {0}.</translation>
    </message>
</context>
<context>
    <name>RecordListModel</name>
    <message>
        <source>Yes</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>No</source>
        <translation>No</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>Flags</translation>
    </message>
    <message>
        <source>Last changed</source>
        <translation>Last changed</translation>
    </message>
</context>
<context>
    <name>RecordListPage</name>
    <message>
        <source>Delete records</source>
        <translation>Delete records</translation>
    </message>
    <message>
        <source>Records submitted: {0}.</source>
        <translation>Records submitted: {0}.</translation>
    </message>
    <message>
        <source>Not submitted because of errors: {0} (open them to fix).</source>
        <translation>Not submitted because of errors: {0} (open them to fix).</translation>
    </message>
    <message>
        <source>Submitted or approved already: {0}.</source>
        <translation>Submitted or approved already: {0}.</translation>
    </message>
    <message>
        <source>Delete the selected records ({0})? Only drafts and returned records are deleted; this cannot be undone.</source>
        <translation>Delete the selected records ({0})? Only drafts and returned records are deleted; this cannot be undone.</translation>
    </message>
    <message>
        <source>Records deleted: {0}.</source>
        <translation>Records deleted: {0}.</translation>
    </message>
    <message>
        <source>Kept because they are not drafts: {0}.</source>
        <translation>Kept because they are not drafts: {0}.</translation>
    </message>
    <message>
        <source>New record</source>
        <translation>New record</translation>
    </message>
    <message>
        <source>Start a new record (Ctrl+N)</source>
        <translation>Start a new record (Ctrl+N)</translation>
    </message>
    <message>
        <source>Submit selected</source>
        <translation>Submit selected</translation>
    </message>
    <message>
        <source>Search: Chinese, or pinyin initials such as zs for 张三 (Ctrl+F)</source>
        <translation>Search: Chinese, or pinyin initials such as zs for 张三 (Ctrl+F)</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <source>Has issues</source>
        <translation>Has issues</translation>
    </message>
    <message>
        <source>Has conflict</source>
        <translation>Has conflict</translation>
    </message>
    <message>
        <source>Records: {0}</source>
        <translation>Records: {0}</translation>
    </message>
    <message>
        <source>Submit selected ({0})</source>
        <translation>Submit selected ({0})</translation>
    </message>
</context>
<context>
    <name>RecordMarks</name>
    <message>
        <source>Conflict</source>
        <translation>Conflict</translation>
    </message>
    <message>
        <source>Rejected by hub</source>
        <translation>Rejected by hub</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>Errors</translation>
    </message>
    <message>
        <source>Warnings</source>
        <translation>Warnings</translation>
    </message>
    <message>
        <source>Not synced</source>
        <translation>Not synced</translation>
    </message>
</context>
<context>
    <name>RecordPage</name>
    <message>
        <source>This record can no longer be withdrawn.</source>
        <translation>This record can no longer be withdrawn.</translation>
    </message>
    <message>
        <source>Withdrawn: the record is a draft again.</source>
        <translation>Withdrawn: the record is a draft again.</translation>
    </message>
    <message>
        <source>Delete record</source>
        <translation>Delete record</translation>
    </message>
    <message>
        <source>Delete this record? This cannot be undone.</source>
        <translation>Delete this record? This cannot be undone.</translation>
    </message>
    <message>
        <source>Record deleted.</source>
        <translation>Record deleted.</translation>
    </message>
    <message>
        <source>← Back to list</source>
        <translation>← Back to list</translation>
    </message>
    <message>
        <source>Back to the list (Esc); what you typed is saved</source>
        <translation>Back to the list (Esc); what you typed is saved</translation>
    </message>
    <message>
        <source>History…</source>
        <translation>History…</translation>
    </message>
    <message>
        <source>Every version of this record: who, when, what</source>
        <translation>Every version of this record: who, when, what</translation>
    </message>
    <message>
        <source>Resolve conflict…</source>
        <translation>Resolve conflict…</translation>
    </message>
    <message>
        <source>Submit</source>
        <translation>Submit</translation>
    </message>
    <message>
        <source>Send the record to the county (Ctrl+Enter)</source>
        <translation>Send the record to the county (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Withdraw</source>
        <translation>Withdraw</translation>
    </message>
    <message>
        <source>Take the record back to draft before the county reviews it</source>
        <translation>Take the record back to draft before the county reviews it</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>Delete…</translation>
    </message>
    <message>
        <source>Save as a new record</source>
        <translation>Save as a new record</translation>
    </message>
    <message>
        <source>This record was approved or deleted meanwhile: the change was not saved.</source>
        <translation>This record was approved or deleted meanwhile: the change was not saved.</translation>
    </message>
    <message>
        <source>Not saved: this record no longer exists on this computer (it was deleted, perhaps by a sync). What you typed is still in this window: choose Save as a new record to keep it.</source>
        <translation>Not saved: this record no longer exists on this computer (it was deleted, perhaps by a sync). What you typed is still in this window: choose Save as a new record to keep it.</translation>
    </message>
    <message>
        <source>Not saved: {0} What you typed is still in this window; saving is tried again in a few seconds.</source>
        <translation>Not saved: {0} What you typed is still in this window; saving is tried again in a few seconds.</translation>
    </message>
    <message>
        <source>Not saved: {0} What you typed is still in this window. When you close the window, you can save it to a file instead.</source>
        <translation>Not saved: {0} What you typed is still in this window. When you close the window, you can save it to a file instead.</translation>
    </message>
    <message>
        <source>Fix the errors before submitting.</source>
        <translation>Fix the errors before submitting.</translation>
    </message>
    <message>
        <source>Submitted. It is sent to the county at the next sync.</source>
        <translation>Submitted. It is sent to the county at the next sync.</translation>
    </message>
    <message>
        <source>Cannot submit: errors to fix: {0}</source>
        <translation>Cannot submit: errors to fix: {0}</translation>
    </message>
    <message>
        <source>Cannot submit: resolve the conflict first</source>
        <translation>Cannot submit: resolve the conflict first</translation>
    </message>
    <message>
        <source>(no comment)</source>
        <translation>(no comment)</translation>
    </message>
    <message>
        <source>Returned by the county ({0}): {1}</source>
        <translation>Returned by the county ({0}): {1}</translation>
    </message>
    <message>
        <source>The hub did not accept the last change:</source>
        <translation>The hub did not accept the last change:</translation>
    </message>
    <message>
        <source>This record was changed here and on the hub at the same time ({0}). It stays read-only until the conflict is resolved: choose Resolve conflict.</source>
        <translation>This record was changed here and on the hub at the same time ({0}). It stays read-only until the conflict is resolved: choose Resolve conflict.</translation>
    </message>
</context>
<context>
    <name>RecordStatus</name>
    <message>
        <source>Draft</source>
        <translation>Draft</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>Submitted</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>Returned</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>Approved</translation>
    </message>
</context>
<context>
    <name>Rejection</name>
    <message>
        <source>You may not make this change: the record is outside your school or county, or your role does not allow it.</source>
        <translation>You may not make this change: the record is outside your school or county, or your role does not allow it.</translation>
    </message>
    <message>
        <source>The record is submitted or approved on the hub and cannot be changed now.</source>
        <translation>The record is submitted or approved on the hub and cannot be changed now.</translation>
    </message>
    <message>
        <source>The hub could not read this change: a value or the form is not one it knows.</source>
        <translation>The hub could not read this change: a value or the form is not one it knows.</translation>
    </message>
    <message>
        <source>The hub has no such record, or it was deleted.</source>
        <translation>The hub has no such record, or it was deleted.</translation>
    </message>
    <message>
        <source>The record was changed elsewhere: sync, then try again.</source>
        <translation>The record was changed elsewhere: sync, then try again.</translation>
    </message>
    <message>
        <source>The record&apos;s status on the hub does not allow this change.</source>
        <translation>The record&apos;s status on the hub does not allow this change.</translation>
    </message>
    <message>
        <source>The hub found errors in the record: they are shown beside their fields.</source>
        <translation>The hub found errors in the record: they are shown beside their fields.</translation>
    </message>
</context>
<context>
    <name>RepeatGroupInput</name>
    <message>
        <source>Yes</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>No</source>
        <translation>No</translation>
    </message>
    <message>
        <source>Add row</source>
        <translation>Add row</translation>
    </message>
    <message>
        <source>Remove row</source>
        <translation>Remove row</translation>
    </message>
</context>
<context>
    <name>ReviewQueue</name>
    <message>
        <source>School</source>
        <translation>School</translation>
    </message>
    <message>
        <source>Nothing to approve: the selected records have warnings ({0}) or are not waiting for review ({1}). Open them to review one by one.</source>
        <translation>Nothing to approve: the selected records have warnings ({0}) or are not waiting for review ({1}). Open them to review one by one.</translation>
    </message>
    <message>
        <source>Approve {0} records without warnings?</source>
        <translation>Approve {0} records without warnings?</translation>
    </message>
    <message>
        <source>{0} selected records have warnings and are skipped: open them to review one by one.</source>
        <translation>{0} selected records have warnings and are skipped: open them to review one by one.</translation>
    </message>
    <message>
        <source>{0} selected records are not waiting for review and are skipped.</source>
        <translation>{0} selected records are not waiting for review and are skipped.</translation>
    </message>
    <message>
        <source>Approve records</source>
        <translation>Approve records</translation>
    </message>
    <message>
        <source>Approving {0} records…</source>
        <translation>Approving {0} records…</translation>
    </message>
    <message>
        <source>Approved: {0}. The schools hear at the next sync.</source>
        <translation>Approved: {0}. The schools hear at the next sync.</translation>
    </message>
    <message>
        <source>Skipped for warnings: {0}.</source>
        <translation>Skipped for warnings: {0}.</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>Review</translation>
    </message>
    <message>
        <source>All schools</source>
        <translation>All schools</translation>
    </message>
    <message>
        <source>To review</source>
        <translation>To review</translation>
    </message>
    <message>
        <source>Decided, not sent yet</source>
        <translation>Decided, not sent yet</translation>
    </message>
    <message>
        <source>All submitted</source>
        <translation>All submitted</translation>
    </message>
    <message>
        <source>With or without warnings</source>
        <translation>With or without warnings</translation>
    </message>
    <message>
        <source>With warnings</source>
        <translation>With warnings</translation>
    </message>
    <message>
        <source>Without warnings</source>
        <translation>Without warnings</translation>
    </message>
    <message>
        <source>Search: Chinese, or pinyin initials</source>
        <translation>Search: Chinese, or pinyin initials</translation>
    </message>
    <message>
        <source>Records: {0}</source>
        <translation>Records: {0}</translation>
    </message>
    <message>
        <source>{0} ({1} to review)</source>
        <translation>{0} ({1} to review)</translation>
    </message>
    <message>
        <source>Decisions not sent yet: {0}</source>
        <translation>Decisions not sent yet: {0}</translation>
    </message>
    <message>
        <source>Approve selected without warnings ({0})</source>
        <translation>Approve selected without warnings ({0})</translation>
    </message>
    <message>
        <source>Approve selected without warnings</source>
        <translation>Approve selected without warnings</translation>
    </message>
</context>
<context>
    <name>ReviewRecordPage</name>
    <message>
        <source>Return to the school</source>
        <translation>Return to the school</translation>
    </message>
    <message>
        <source>The school gets the record back to fix it, with your comment. Say what is wrong and what it should change.</source>
        <translation>The school gets the record back to fix it, with your comment. Say what is wrong and what it should change.</translation>
    </message>
    <message>
        <source>Return</source>
        <translation>Return</translation>
    </message>
    <message>
        <source>Reopen an approved record</source>
        <translation>Reopen an approved record</translation>
    </message>
    <message>
        <source>The record goes back to the school as returned, so that it can be changed. Say why it is reopened.</source>
        <translation>The record goes back to the school as returned, so that it can be changed. Say why it is reopened.</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>Reopen</translation>
    </message>
    <message>
        <source>Sync first: the newest version is not here yet.</source>
        <translation>Sync first: the newest version is not here yet.</translation>
    </message>
    <message>
        <source>This is what the school sent last: review it again.</source>
        <translation>This is what the school sent last: review it again.</translation>
    </message>
    <message>
        <source>← Back to the queue</source>
        <translation>← Back to the queue</translation>
    </message>
    <message>
        <source>Back to the review queue (Esc)</source>
        <translation>Back to the review queue (Esc)</translation>
    </message>
    <message>
        <source>History…</source>
        <translation>History…</translation>
    </message>
    <message>
        <source>Every version of this record: who, when, what</source>
        <translation>Every version of this record: who, when, what</translation>
    </message>
    <message>
        <source>Correct a field</source>
        <translation>Correct a field</translation>
    </message>
    <message>
        <source>Change a value yourself; the change is saved under your name</source>
        <translation>Change a value yourself; the change is saved under your name</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>Approve</translation>
    </message>
    <message>
        <source>Review again</source>
        <translation>Review again</translation>
    </message>
    <message>
        <source>Resolve conflict…</source>
        <translation>Resolve conflict…</translation>
    </message>
    <message>
        <source>Your correction and the school&apos;s change met: choose what to keep</source>
        <translation>Your correction and the school&apos;s change met: choose what to keep</translation>
    </message>
    <message>
        <source>Drop your refused decision and show the record as the school sent it last</source>
        <translation>Drop your refused decision and show the record as the school sent it last</translation>
    </message>
    <message>
        <source>Return…</source>
        <translation>Return…</translation>
    </message>
    <message>
        <source>Send the record back to the school with a comment</source>
        <translation>Send the record back to the school with a comment</translation>
    </message>
    <message>
        <source>Reopen…</source>
        <translation>Reopen…</translation>
    </message>
    <message>
        <source>Give an approved record back to the school, with a comment</source>
        <translation>Give an approved record back to the school, with a comment</translation>
    </message>
    <message>
        <source>This record can no longer be decided on: it changed meanwhile.</source>
        <translation>This record can no longer be decided on: it changed meanwhile.</translation>
    </message>
    <message>
        <source>Approved. The school hears at the next sync.</source>
        <translation>Approved. The school hears at the next sync.</translation>
    </message>
    <message>
        <source>Returned to the school. It hears at the next sync.</source>
        <translation>Returned to the school. It hears at the next sync.</translation>
    </message>
    <message>
        <source>Reopened. The school hears at the next sync.</source>
        <translation>Reopened. The school hears at the next sync.</translation>
    </message>
    <message>
        <source>Correcting: changes are saved as you type, under your name.</source>
        <translation>Correcting: changes are saved as you type, under your name.</translation>
    </message>
    <message>
        <source>This record was approved meanwhile: the correction was not saved.</source>
        <translation>This record was approved meanwhile: the correction was not saved.</translation>
    </message>
    <message>
        <source>The correction is not saved yet: {0}</source>
        <translation>The correction is not saved yet: {0}</translation>
    </message>
    <message>
        <source>Your decision was not accepted</source>
        <translation>Your decision was not accepted</translation>
    </message>
    <message>
        <source>Approve, although it has warnings: {0}</source>
        <translation>Approve, although it has warnings: {0}</translation>
    </message>
    <message>
        <source>Approve the record: it is locked until you reopen it</source>
        <translation>Approve the record: it is locked until you reopen it</translation>
    </message>
    <message>
        <source>Changed since you reviewed it: the school changed this record before your decision reached the hub, so the hub did not take it. Choose Review again to see what the school sent, then decide again.</source>
        <translation>Changed since you reviewed it: the school changed this record before your decision reached the hub, so the hub did not take it. Choose Review again to see what the school sent, then decide again.</translation>
    </message>
    <message>
        <source>Your correction and the school&apos;s change met on the same fields ({0}). Choose Resolve conflict to decide what to keep, then review it.</source>
        <translation>Your correction and the school&apos;s change met on the same fields ({0}). Choose Resolve conflict to decide what to keep, then review it.</translation>
    </message>
    <message>
        <source>The hub did not accept the last change:</source>
        <translation>The hub did not accept the last change:</translation>
    </message>
    <message>
        <source>Approved by {0} at {1}</source>
        <translation>Approved by {0} at {1}</translation>
    </message>
    <message>
        <source>Returned by {0} at {1}</source>
        <translation>Returned by {0} at {1}</translation>
    </message>
    <message>
        <source>Reopened by {0} at {1}</source>
        <translation>Reopened by {0} at {1}</translation>
    </message>
    <message>
        <source>{0}: {1}</source>
        <translation>{0}: {1}</translation>
    </message>
    <message>
        <source>Warnings: {0}. They are shown in amber beside their fields and listed under Problems; check them before approving.</source>
        <translation>Warnings: {0}. They are shown in amber beside their fields and listed under Problems; check them before approving.</translation>
    </message>
    <message>
        <source>Not sent yet: the hub gets this at the next sync.</source>
        <translation>Not sent yet: the hub gets this at the next sync.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>General</source>
        <translation>General</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>Hub and sync</source>
        <translation>Hub and sync</translation>
    </message>
    <message>
        <source>Hub address</source>
        <translation>Hub address</translation>
    </message>
    <message>
        <source>Set by your IT staff for this computer.</source>
        <translation>Set by your IT staff for this computer.</translation>
    </message>
    <message>
        <source>A new address is used from the next login.</source>
        <translation>A new address is used from the next login.</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Account</translation>
    </message>
    <message>
        <source>Signed in as {0} at {1}</source>
        <translation>Signed in as {0} at {1}</translation>
    </message>
    <message>
        <source>Log in again…</source>
        <translation>Log in again…</translation>
    </message>
    <message>
        <source>Working on this computer only: records are not sent anywhere.</source>
        <translation>Working on this computer only: records are not sent anywhere.</translation>
    </message>
    <message>
        <source>Log in to a hub…</source>
        <translation>Log in to a hub…</translation>
    </message>
    <message>
        <source>Sync every</source>
        <translation>Sync every</translation>
    </message>
    <message>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <source>Set by your IT staff.</source>
        <translation>Set by your IT staff.</translation>
    </message>
    <message>
        <source>while the hub can be reached</source>
        <translation>while the hub can be reached</translation>
    </message>
    <message>
        <source>Data, backups and logs</source>
        <translation>Data, backups and logs</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>Data folder</translation>
    </message>
    <message>
        <source>Your records are kept here, in your own user folder on this computer. The folder cannot be changed: the scheduled sync and your IT staff look for the records here. To keep a copy elsewhere, back up now and copy the newest file in its backups folder.</source>
        <translation>Your records are kept here, in your own user folder on this computer. The folder cannot be changed: the scheduled sync and your IT staff look for the records here. To keep a copy elsewhere, back up now and copy the newest file in its backups folder.</translation>
    </message>
    <message>
        <source>Your records are kept in this folder because the app was started with it (--profile), as your IT staff set it up. It changes only with how the app is started. To keep a copy elsewhere, back up now and copy the newest file in its backups folder.</source>
        <translation>Your records are kept in this folder because the app was started with it (--profile), as your IT staff set it up. It changes only with how the app is started. To keep a copy elsewhere, back up now and copy the newest file in its backups folder.</translation>
    </message>
    <message>
        <source>Log folder</source>
        <translation>Log folder</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>Backups (a new one is made every day; the latest seven are kept):</source>
        <translation>Backups (a new one is made every day; the latest seven are kept):</translation>
    </message>
    <message>
        <source>Back up now</source>
        <translation>Back up now</translation>
    </message>
    <message>
        <source>Restore the selected backup…</source>
        <translation>Restore the selected backup…</translation>
    </message>
    <message>
        <source>made by hand</source>
        <translation>made by hand</translation>
    </message>
    <message>
        <source>daily</source>
        <translation>daily</translation>
    </message>
    <message>
        <source>before an update</source>
        <translation>before an update</translation>
    </message>
    <message>
        <source>No backups yet.</source>
        <translation>No backups yet.</translation>
    </message>
    <message>
        <source>Backing up…</source>
        <translation>Backing up…</translation>
    </message>
    <message>
        <source>Backed up to {0}</source>
        <translation>Backed up to {0}</translation>
    </message>
    <message>
        <source>Restore a backup</source>
        <translation>Restore a backup</translation>
    </message>
    <message>
        <source>Replace the data on this computer with the backup of {0}?</source>
        <translation>Replace the data on this computer with the backup of {0}?</translation>
    </message>
    <message>
        <source>Everything entered after that time and not yet synced is no longer shown. The current data file is kept aside in the data folder, not deleted.</source>
        <translation>Everything entered after that time and not yet synced is no longer shown. The current data file is kept aside in the data folder, not deleted.</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>Restore</translation>
    </message>
</context>
<context>
    <name>SyncStatusWidget</name>
    <message>
        <source>Needs attention: {0}</source>
        <translation>Needs attention: {0}</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <source>Local only (no hub)</source>
        <translation>Local only (no hub)</translation>
    </message>
    <message>
        <source>Syncing: received {0}</source>
        <translation>Syncing: received {0}</translation>
    </message>
    <message>
        <source>Syncing {0}/{1}</source>
        <translation>Syncing {0}/{1}</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>Syncing…</translation>
    </message>
    <message>
        <source>Not synced yet</source>
        <translation>Not synced yet</translation>
    </message>
    <message>
        <source>Last synced {0}</source>
        <translation>Last synced {0}</translation>
    </message>
    <message>
        <source>Offline: cannot reach the hub</source>
        <translation>Offline: cannot reach the hub</translation>
    </message>
    <message>
        <source>Certificate not trusted: ask IT</source>
        <translation>Certificate not trusted: ask IT</translation>
    </message>
    <message>
        <source>Login expired: log in again</source>
        <translation>Login expired: log in again</translation>
    </message>
    <message>
        <source>Hub version mismatch: update the app</source>
        <translation>Hub version mismatch: update the app</translation>
    </message>
    <message>
        <source>Hub not answering: will retry</source>
        <translation>Hub not answering: will retry</translation>
    </message>
    <message>
        <source>Database in use by another program: will retry</source>
        <translation>Database in use by another program: will retry</translation>
    </message>
    <message>
        <source>Sync failed</source>
        <translation>Sync failed</translation>
    </message>
    <message>
        <source>Records stay on this computer. Log in to a hub in Settings to send them.</source>
        <translation>Records stay on this computer. Log in to a hub in Settings to send them.</translation>
    </message>
    <message>
        <source>Sending your changes, then receiving the hub&apos;s.</source>
        <translation>Sending your changes, then receiving the hub&apos;s.</translation>
    </message>
    <message>
        <source>{0} changes wait to be sent</source>
        <translation>{0} changes wait to be sent</translation>
    </message>
</context>
<context>
    <name>Targets</name>
    <message>
        <source>Training bases</source>
        <translation>Training bases</translation>
    </message>
    <message>
        <source>Productive training bases</source>
        <translation>Productive training bases</translation>
    </message>
    <message>
        <source>Teacher placement compliance (%)</source>
        <translation>Teacher placement compliance (%)</translation>
    </message>
    <message>
        <source>180 days within 5 years</source>
        <translation>180 days within 5 years</translation>
    </message>
    <message>
        <source>New teacher: 180 days in 3 years</source>
        <translation>New teacher: 180 days in 3 years</translation>
    </message>
</context>
<context>
    <name>TargetsDialog</name>
    <message>
        <source>Targets</source>
        <translation>Targets</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>not set</translation>
    </message>
    <message>
        <source>The county&apos;s targets, remembered on this computer. 0 leaves a target out.</source>
        <translation>The county&apos;s targets, remembered on this computer. 0 leaves a target out.</translation>
    </message>
</context>
<context>
    <name>TeachersModel</name>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>School</source>
        <translation>School</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>Days</translation>
    </message>
    <message>
        <source>Required</source>
        <translation>Required</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>Rule</translation>
    </message>
    <message>
        <source>Standing</source>
        <translation>Standing</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>On track (3 years not over)</source>
        <translation>On track (3 years not over)</translation>
    </message>
</context>
<context>
    <name>YesNoInput</name>
    <message>
        <source>Yes</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>No</source>
        <translation>No</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <source>This computer does not trust the hub&apos;s certificate. Ask your IT staff to install the certificate the hub uses.</source>
        <translation>This computer does not trust the hub&apos;s certificate. Ask your IT staff to install the certificate the hub uses.</translation>
    </message>
    <message>
        <source>The hub did not answer in time. Try again in a few minutes.</source>
        <translation>The hub did not answer in time. Try again in a few minutes.</translation>
    </message>
    <message>
        <source>Cannot reach the hub. Check that this computer is connected to the network.</source>
        <translation>Cannot reach the hub. Check that this computer is connected to the network.</translation>
    </message>
    <message>
        <source>The app may not write to a file it needs ({0}). Ask your IT staff to check the folder&apos;s permissions.</source>
        <translation>The app may not write to a file it needs ({0}). Ask your IT staff to check the folder&apos;s permissions.</translation>
    </message>
    <message>
        <source>The disk is full. Free some space, then try again.</source>
        <translation>The disk is full. Free some space, then try again.</translation>
    </message>
    <message>
        <source>The data file is still being checked for damage, as it is each time the app opens it. Nothing was lost: try again in a moment.</source>
        <translation>The data file is still being checked for damage, as it is each time the app opens it. Nothing was lost: try again in a moment.</translation>
    </message>
    <message>
        <source>The data file is in use by another program. Close other copies of the app, then try again.</source>
        <translation>The data file is in use by another program. Close other copies of the app, then try again.</translation>
    </message>
    <message>
        <source>The data file is damaged. Restore the latest backup in Settings, or ask your IT staff for help.</source>
        <translation>The data file is damaged. Restore the latest backup in Settings, or ask your IT staff for help.</translation>
    </message>
    <message>
        <source>A number is too large to be stored. Check the numbers you typed.</source>
        <translation>A number is too large to be stored. Check the numbers you typed.</translation>
    </message>
    <message>
        <source>The computer ran out of memory. Close other programs, then try again.</source>
        <translation>The computer ran out of memory. Close other programs, then try again.</translation>
    </message>
    <message>
        <source>Something unexpected went wrong, and what you were doing may not have finished. Records saved before are not affected.</source>
        <translation>Something unexpected went wrong, and what you were doing may not have finished. Records saved before are not affected.</translation>
    </message>
</context>
<context>
    <name>printing</name>
    <message>
        <source>Student</source>
        <translation>Student</translation>
    </message>
    <message>
        <source>School mentor</source>
        <translation>School mentor</translation>
    </message>
    <message>
        <source>Enterprise mentor</source>
        <translation>Enterprise mentor</translation>
    </message>
    <message>
        <source>Status: {0}</source>
        <translation>Status: {0}</translation>
    </message>
    <message>
        <source>School: {0}</source>
        <translation>School: {0}</translation>
    </message>
    <message>
        <source>Last changed {0} by {1}</source>
        <translation>Last changed {0} by {1}</translation>
    </message>
    <message>
        <source>Record {0}</source>
        <translation>Record {0}</translation>
    </message>
    <message>
        <source>{0}: {1}</source>
        <translation>{0}: {1}</translation>
    </message>
    <message>
        <source>Signature</source>
        <translation>Signature</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Save as PDF</source>
        <translation>Save as PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
</context>
<context>
    <name>values</name>
    <message>
        <source>row {0}</source>
        <translation>row {0}</translation>
    </message>
    <message>
        <source>a removed row</source>
        <translation>a removed row</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>No</source>
        <translation>No</translation>
    </message>
    <message>
        <source>(not filled in)</source>
        <translation>(not filled in)</translation>
    </message>
    <message>
        <source>Rows: {0}</source>
        <translation>Rows: {0}</translation>
    </message>
</context>
</TS>
