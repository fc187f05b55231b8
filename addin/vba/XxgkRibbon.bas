Attribute VB_Name = "XxgkRibbon"
Option Explicit
' xxgk ribbon callbacks. ASCII only: every Chinese word the user sees lives in customUI.xml or
' in this add-in's own sheet XXGK_TEXT_SHEET (written at build time from addin/messages.toml).
'
' One callback for every button: the button's tag says what to do, one Python entry does it.
' The Python module name is fixed and ASCII; it is never derived from a file name, because
' the workbooks users open usually have Chinese names (xlwings#2004).

Public Const XXGK_PY_MODULE As String = "xxgk.addin"
Public Const XXGK_TEXT_SHEET As String = "xxgk_text"

Public Sub XxgkOnAction(control As IRibbonControl)
    XxgkRun control.Tag
End Sub

' The Python command for a tag, e.g. import xxgk.addin; xxgk.addin.dispatch('validate')
Private Function XxgkCommand(ByVal tag As String) As String
    XxgkCommand = "import " & XXGK_PY_MODULE & "; " & XXGK_PY_MODULE & ".dispatch('" & tag & "')"
End Function

Public Sub XxgkRun(ByVal tag As String)
    If Not XxgkValidTag(tag) Then
        MsgBox XxgkText("bad_tag") & " [" & tag & "]", vbExclamation, XxgkText("title")
        Exit Sub
    End If
    ' Help needs no Python, so it works even when Python is what is broken.
    If tag = "help" Then
        MsgBox XxgkText("help"), vbInformation, XxgkText("title")
        Exit Sub
    End If
    ' RunPython itself reads ActiveWorkbook: without one it would stop with error 91.
    If Not XxgkHasWorkbook() Then
        MsgBox XxgkText("no_workbook"), vbExclamation, XxgkText("title")
        Exit Sub
    End If
    ' From here on every error gets our message: reading the config already creates WScript.Shell,
    ' which a locked-down PC may refuse, and VBA's own error box would offer its Debug button.
    On Error GoTo failed
    ' xlwings itself would say "Could not find Interpreter!" in English: say it in Chinese first.
    Dim interpreter As String
    interpreter = XxgkInterpreter()
    If interpreter = "" Or Not FileExists(interpreter) Then
        MsgBox Replace(XxgkText("python_missing"), "{path}", interpreter), vbCritical, XxgkText("title")
        Exit Sub
    End If
    RunPython XxgkCommand(tag)
    Exit Sub
failed:
    ' Keep Err first: XxgkText's own On Error statement clears it.
    Dim errNumber As Long, errText As String
    errNumber = Err.Number
    errText = Err.Description
    MsgBox Replace(Replace(XxgkText("python_failed"), "{number}", CStr(errNumber)), _
        "{description}", errText), vbCritical, XxgkText("title")
End Sub

' Tags come from customUI.xml; accept only [a-z0-9_] so nothing can break out of the quotes.
Private Function XxgkValidTag(ByVal tag As String) As Boolean
    Dim i As Long, c As String
    XxgkValidTag = False
    If Len(tag) = 0 Or Len(tag) > 40 Then Exit Function
    For i = 1 To Len(tag)
        c = Mid$(tag, i, 1)
        If Not ((c >= "a" And c <= "z") Or (c >= "0" And c <= "9") Or c = "_") Then Exit Function
    Next i
    XxgkValidTag = True
End Function

' The Python that xlwings will start: INTERPRETER_WIN from the user config that
' "xxgk addin install" writes (%USERPROFILE%\.xxgk\xxgk.conf), read by xlwings' own GetConfig.
Private Function XxgkInterpreter() As String
    XxgkInterpreter = CStr(GetConfig("INTERPRETER_WIN", ""))
End Function

Private Function XxgkHasWorkbook() As Boolean
    ' Protected View and the start screen leave ActiveWorkbook empty.
    XxgkHasWorkbook = Not (ActiveWorkbook Is Nothing)
End Function

' A message from the add-in's text sheet: column A the key, column B the text.
Private Function XxgkText(ByVal key As String) As String
    Dim sht As Object
    Dim r As Long
    On Error GoTo missing
    Set sht = ThisWorkbook.Worksheets(XXGK_TEXT_SHEET)
    For r = 1 To 200
        If CStr(sht.Cells(r, 1).Value) = "" Then Exit For
        If CStr(sht.Cells(r, 1).Value) = key Then
            XxgkText = CStr(sht.Cells(r, 2).Value)
            Exit Function
        End If
    Next r
missing:
    XxgkText = "xxgk: " & key
End Function
