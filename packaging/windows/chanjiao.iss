; Chanjiao Collect (产教融合数据采集): Windows installer around the PyInstaller bundle.
;
; Build (the workflow does this; ChineseSimplified.isl is an unofficial Inno Setup translation,
; download it into Inno Setup's Languages folder first, see packaging/workflows/build.yml):
;   ISCC.exe /DAppVersion=0.1.0 /DBundleDir=C:\src\dist\chanjiao /OC:\src\dist packaging\windows\chanjiao.iss
;
; Install for every user of the machine, silently, with the hub preset (IT scripts):
;   chanjiao-0.1.0-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
;       /SERVER=https://hub.example.edu.cn /CA=C:\certs\school-ca.pem /LOCK=hub_url,ca_bundle
; /SERVER=, /CA= and /LOCK= are written to C:\ProgramData\Chanjiao\chanjiao.ini, the
; machine-wide settings the app reads first (the same steps as packaging/machine_config.py).
;
; Uninstall keeps every user's records; unins000.exe /PURGE=yes (or answering Yes when asked)
; also deletes the current user's data and the machine-wide settings.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef BundleDir
  #define BundleDir "..\..\dist\chanjiao"
#endif

[Setup]
AppId={{6F1C2B7E-3D4A-4E59-9C1B-2A7D5E8F9C10}
AppName=产教融合数据采集 Chanjiao Collect
AppVersion={#AppVersion}
AppVerName=产教融合数据采集 Chanjiao Collect {#AppVersion}
AppPublisher=Chanjiao Collect
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\Chanjiao
DefaultGroupName=产教融合数据采集
DisableProgramGroupPage=yes
; Per-machine only: one installation in Program Files for every user of the computer.
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputBaseFilename=chanjiao-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\chanjiao.exe
UninstallDisplayName=产教融合数据采集 Chanjiao Collect
CloseApplications=yes
RestartApplications=no
; Chinese first: it is the language of a Chinese Windows and the fallback of every other one
; but English.
LanguageDetectionMethod=uilanguage
ShowLanguageDialog=auto

[Languages]
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
chinesesimplified.DeleteUserData=是否同时删除当前用户在本机保存的填报数据和本机的集中设置?%n%n尚未同步到中心服务器的记录将会丢失。
english.DeleteUserData=Also delete the records this user keeps on this computer, and the machine-wide settings?%n%nRecords not yet synced to the hub will be lost.
chinesesimplified.BadServer=/SERVER= 必须是以 https:// 开头的地址:%1
english.BadServer=/SERVER= must be an address starting with https://: %1
chinesesimplified.AppName=产教融合数据采集
english.AppName=Chanjiao Collect

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Dirs]
Name: "{commonappdata}\Chanjiao"

[Icons]
Name: "{autoprograms}\{cm:AppName}"; Filename: "{app}\chanjiao.exe"
Name: "{autodesktop}\{cm:AppName}"; Filename: "{app}\chanjiao.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\chanjiao.exe"; Description: "{cm:LaunchProgram,{cm:AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
const
  GeneralSection = '[General]';

{ A value as Qt's QSettings reads it back: quoted, backslashes and quotes escaped
  (C:\certs\ca.pem unquoted would lose its backslashes). Mirrors machine_config.quote. }
function QuoteIniValue(const Value: String): String;
begin
  Result := Value;
  StringChangeEx(Result, '\', '\\', True);
  StringChangeEx(Result, '"', '\"', True);
  Result := '"' + Result + '"';
end;

function IsSectionLine(const Line: String): Boolean;
var
  Trimmed: String;
begin
  Trimmed := Trim(Line);
  Result := (Length(Trimmed) > 1) and (Trimmed[1] = '[') and (Trimmed[Length(Trimmed)] = ']');
end;

function IsKeyLine(const Line, Key: String): Boolean;
var
  Trimmed: String;
begin
  Trimmed := Trim(Line);
  Result := (Pos(LowerCase(Key) + '=', LowerCase(Trimmed)) = 1) or
            (Pos(LowerCase(Key) + ' =', LowerCase(Trimmed)) = 1);
end;

function IsAnyKeyLine(const Line: String): Boolean;
var
  Trimmed: String;
begin
  Trimmed := Trim(Line);
  Result := (Trimmed <> '') and (Trimmed[1] <> ';') and (Trimmed[1] <> '#') and
            (Pos('=', Trimmed) > 1) and not IsSectionLine(Trimmed);
end;

procedure InsertLine(var Lines: TArrayOfString; const At: Integer; const Line: String);
var
  I: Integer;
begin
  SetArrayLength(Lines, GetArrayLength(Lines) + 1);
  for I := GetArrayLength(Lines) - 1 downto At + 1 do
    Lines[I] := Lines[I - 1];
  Lines[At] := Line;
end;

{ Set Key=Value in [General]: replace its line, else add it after the section's last option
  (after the header when it has none), else add the section. Other lines stay as they are. }
procedure SetMachineOption(var Lines: TArrayOfString; const Key, Value: String);
var
  I, Header, LastKey: Integer;
  InGeneral: Boolean;
begin
  Header := -1;
  LastKey := -1;
  InGeneral := False;
  for I := 0 to GetArrayLength(Lines) - 1 do
  begin
    if IsSectionLine(Lines[I]) then
    begin
      InGeneral := CompareText(Trim(Lines[I]), GeneralSection) = 0;
      if InGeneral then
        Header := I;
    end
    else if InGeneral and IsKeyLine(Lines[I], Key) then
    begin
      Lines[I] := Key + '=' + Value;
      Exit;
    end
    else if InGeneral and IsAnyKeyLine(Lines[I]) then
      LastKey := I;
  end;
  if LastKey >= 0 then
    InsertLine(Lines, LastKey + 1, Key + '=' + Value)
  else if Header >= 0 then
    InsertLine(Lines, Header + 1, Key + '=' + Value)
  else
  begin
    InsertLine(Lines, GetArrayLength(Lines), GeneralSection);
    InsertLine(Lines, GetArrayLength(Lines), Key + '=' + Value);
  end;
end;

function MachineConfigPath: String;
begin
  Result := ExpandConstant('{commonappdata}\Chanjiao\chanjiao.ini');
end;

{ /SERVER=, /CA= and /LOCK= into C:\ProgramData\Chanjiao\chanjiao.ini, UTF-8. }
procedure WriteMachineConfig(const Server, CA, Locked: String);
var
  Lines: TArrayOfString;
begin
  if (Server = '') and (CA = '') and (Locked = '') then
    Exit;
  ForceDirectories(ExtractFileDir(MachineConfigPath));
  if not LoadStringsFromFile(MachineConfigPath, Lines) then
    SetArrayLength(Lines, 0);
  if Server <> '' then
    SetMachineOption(Lines, 'hub_url', QuoteIniValue(Server));
  if CA <> '' then
    SetMachineOption(Lines, 'ca_bundle', QuoteIniValue(CA));
  if Locked <> '' then
    { Unquoted: QSettings reads the comma-separated list the app expects. }
    SetMachineOption(Lines, 'locked', Locked);
  if not SaveStringsToUTF8File(MachineConfigPath, Lines, False) then
    Log('Could not write ' + MachineConfigPath);
end;

function InitializeSetup: Boolean;
var
  Server: String;
begin
  Result := True;
  Server := ExpandConstant('{param:SERVER|}');
  if (Server <> '') and (Pos('https://', LowerCase(Server)) <> 1) and
     (Pos('http://', LowerCase(Server)) <> 1) then
  begin
    SuppressibleMsgBox(FmtMessage(CustomMessage('BadServer'), [Server]), mbCriticalError, MB_OK, IDOK);
    Result := False;
  end;
end;

procedure CurStepChanged(CurStep: TSetupStep);
begin
  if CurStep = ssPostInstall then
    WriteMachineConfig(ExpandConstant('{param:SERVER|}'), ExpandConstant('{param:CA|}'),
                       ExpandConstant('{param:LOCK|}'));
end;

{ Records stay unless asked: /PURGE=yes, or Yes to the question of an interactive uninstall. }
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Purge: Boolean;
begin
  if CurUninstallStep <> usPostUninstall then
    Exit;
  Purge := CompareText(ExpandConstant('{param:PURGE|no}'), 'yes') = 0;
  if not Purge and not UninstallSilent then
    Purge := MsgBox(CustomMessage('DeleteUserData'), mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES;
  if Purge then
  begin
    DelTree(ExpandConstant('{localappdata}\Chanjiao'), True, True, True);
    { Sign-in tokens kept in files where Windows Credential Manager was not usable (sync.client). }
    DelTree(ExpandConstant('{localappdata}\chanjiao-collect'), True, True, True);
    DelTree(ExpandConstant('{commonappdata}\Chanjiao'), True, True, True);
  end;
end;
