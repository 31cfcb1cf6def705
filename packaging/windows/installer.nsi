; NRP Desktop installer for Windows: per-user, no administrator rights.
;
; Built by `python packaging\build.py windows`, which passes everything that changes between
; releases (nothing about the app is written here twice):
;   makensis -DAPP_NAME="NRP Desktop" -DAPP_ID=uk.neighbourhoodresilience.NRPDesktop
;            -DVERSION=0.1.0 -DVERSION_QUAD=0.1.0.0 -DPAYLOAD=<frozen folder> -DOUTFILE=<setup.exe>
;            [-DICON=<nrp-desktop.ico>] installer.nsi
;
; Installs into %LOCALAPPDATA%\Programs\NRP Desktop, adds a Start menu shortcut, an entry in
; Settings > Apps (with an uninstaller), and opens .nrpsession files with the app. Everything is
; written under HKEY_CURRENT_USER. The facilitator's own data (%APPDATA%\NRP Desktop) is never
; touched, by installing, upgrading or uninstalling.

Unicode true

!ifndef APP_NAME | APP_ID | VERSION | VERSION_QUAD | PAYLOAD | OUTFILE
  !error "Pass APP_NAME, APP_ID, VERSION, VERSION_QUAD, PAYLOAD and OUTFILE with -D (see the top of this file)"
!endif

!define EXE "nrp-desktop.exe"
!define CLI_EXE "nrp-desktop-cli.exe"
!define UNINSTALLER "uninstall.exe"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"
!define APP_KEY "Software\${APP_ID}"
!define PROGID "NRPDesktop.Session"
!define SESSION_EXT ".nrpsession"
!define SHORTCUT "$SMPROGRAMS\${APP_NAME}.lnk"

!include "MUI2.nsh"
!include "FileFunc.nsh"

Name "${APP_NAME}"
OutFile "${OUTFILE}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\${APP_NAME}"
InstallDirRegKey HKCU "${APP_KEY}" "InstallDir"
SetCompressor /SOLID lzma
ManifestDPIAware true
ShowInstDetails nevershow
ShowUninstDetails nevershow
BrandingText "${APP_NAME} ${VERSION}"

VIProductVersion "${VERSION_QUAD}"
VIFileVersion "${VERSION_QUAD}"
VIAddVersionKey /LANG=1033 "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=1033 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileDescription" "${APP_NAME} installer"
VIAddVersionKey /LANG=1033 "LegalCopyright" "GPL-3.0-or-later"

!ifdef ICON
  !define MUI_ICON "${ICON}"
  !define MUI_UNICON "${ICON}"
!endif
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "Open ${APP_NAME} now"

!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

; Tells Explorer that file associations changed, so session files show the new owner at once.
!macro NotifyAssociationsChanged
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
!macroend

Section "${APP_NAME}" SectionApp
  SectionIn RO
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  ; An upgrade replaces the previous build whole: files a newer build no longer has must not stay.
  RMDir /r "$INSTDIR\_internal"
  File /r "${PAYLOAD}\*"
  WriteUninstaller "$INSTDIR\${UNINSTALLER}"

  CreateShortcut "${SHORTCUT}" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0 SW_SHOWNORMAL "" "${APP_NAME}"

  WriteRegStr HKCU "${APP_KEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${APP_KEY}" "Version" "${VERSION}"

  ; Settings > Apps entry
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "The NRP Desktop project"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${EXE},0"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\${UNINSTALLER}"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\${UNINSTALLER}" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" "$0"

  ; Session files open in the app (HKCU\Software\Classes needs no administrator rights).
  WriteRegStr HKCU "Software\Classes\${SESSION_EXT}" "" "${PROGID}"
  WriteRegStr HKCU "Software\Classes\${SESSION_EXT}" "Content Type" "application/x-nrp-session"
  WriteRegStr HKCU "Software\Classes\${SESSION_EXT}\OpenWithProgids" "${PROGID}" ""
  WriteRegStr HKCU "Software\Classes\${PROGID}" "" "${APP_NAME} session"
  WriteRegStr HKCU "Software\Classes\${PROGID}\DefaultIcon" "" "$INSTDIR\${EXE},0"
  WriteRegStr HKCU "Software\Classes\${PROGID}\shell\open\command" "" '"$INSTDIR\${EXE}" "%1"'
  ; `nrp-desktop` from the Run box
  WriteRegStr HKCU "Software\Microsoft\Windows\CurrentVersion\App Paths\${EXE}" "" "$INSTDIR\${EXE}"
  !insertmacro NotifyAssociationsChanged
SectionEnd

Section "Uninstall"
  SetShellVarContext current
  Delete "${SHORTCUT}"
  ; Only what the installer put there: the folder may have been chosen by hand.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  Delete "$INSTDIR\${UNINSTALLER}"
  RMDir "$INSTDIR"

  ; Give the file type back only if it is still ours (another program may have taken it since).
  ReadRegStr $0 HKCU "Software\Classes\${SESSION_EXT}" ""
  StrCmp $0 "${PROGID}" 0 +2
    DeleteRegValue HKCU "Software\Classes\${SESSION_EXT}" ""
  DeleteRegValue HKCU "Software\Classes\${SESSION_EXT}\OpenWithProgids" "${PROGID}"
  DeleteRegKey /ifempty HKCU "Software\Classes\${SESSION_EXT}\OpenWithProgids"
  DeleteRegValue HKCU "Software\Classes\${SESSION_EXT}" "Content Type"
  DeleteRegKey /ifempty HKCU "Software\Classes\${SESSION_EXT}"
  DeleteRegKey HKCU "Software\Classes\${PROGID}"
  DeleteRegKey HKCU "Software\Microsoft\Windows\CurrentVersion\App Paths\${EXE}"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "${APP_KEY}"
  !insertmacro NotifyAssociationsChanged
SectionEnd
