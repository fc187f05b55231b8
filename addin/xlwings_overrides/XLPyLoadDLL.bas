' Replaces xlwings' XLPyLoadDLL in the xlwings module of our add-in (see src/xxgk/addin/build.py).
' The worksheet functions load xlwings' DLL. xlwings loads it by full path from beside the
' interpreter only if one is configured; otherwise it falls back to "pythonw" and leaves the DLL
' to Windows' search by name, which includes the current folder -- often the folder of the
' workbook just opened. This add-in loads it only from beside the Python named in the user's own
' config file, and refuses when there is none.
Private Sub XLPyLoadDLL()
    Dim PYTHON_WIN As String
    PYTHON_WIN = GetConfig("INTERPRETER_WIN", "")
    If PYTHON_WIN = "" Then
        Err.Raise 53, Description:="xxgk: no Python in %USERPROFILE%\.xxgk\xxgk.conf. Run: xxgk addin install"
    End If
    If LoadLibrary(ParentFolder(PYTHON_WIN) + "\" + XLPyDLLName) = 0 Then  ' Standard installation
        If LoadLibrary(ParentFolder(ParentFolder(PYTHON_WIN)) + "\" + XLPyDLLName) = 0 Then  ' Virtualenv
            Err.Raise 1, Description:= _
                "Could not load " + XLPyDLLName + " from either of the following folders: " _
                + vbCrLf + ParentFolder(PYTHON_WIN) _
                + vbCrLf + ", " + ParentFolder(ParentFolder(PYTHON_WIN))
        End If
    End If
End Sub
