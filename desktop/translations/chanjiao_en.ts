<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
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
        <source>The data file is in use by another program. Close other copies of the app, then try again.</source>
        <translation>The data file is in use by another program. Close other copies of the app, then try again.</translation>
    </message>
    <message>
        <source>The data file is damaged. Restore the latest backup in Settings, or ask your IT staff for help.</source>
        <translation>The data file is damaged. Restore the latest backup in Settings, or ask your IT staff for help.</translation>
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
</TS>
