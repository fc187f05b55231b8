' Replaces xlwings' GetConfig in the xlwings module of our add-in (see src/xxgk/addin/build.py).
' xlwings reads settings from a sheet named xxgk.conf in the active workbook, then from a file
' xxgk.conf beside that workbook, and only then from the user's own file. Every workbook a
' reviewer opens could then choose the Python program (and PYTHONPATH) the add-in starts.
' This add-in reads its settings only from the user's file that "xxgk addin install" writes:
' %USERPROFILE%\.xxgk\xxgk.conf. A source of "sheet" or "directory" gives the default.
Function GetConfig(configKey As String, Optional default As String = "", Optional source As String = "") As Variant
    Dim configValue As String
    If source = "" Or source = "user" Then
        If FileExists(GetConfigFilePath()) = True Then
            If GetConfigFromFile(GetConfigFilePath(), configKey, configValue) Then
                GetConfig = configValue
                GetConfig = ExpandEnvironmentStrings(GetConfig)
                Exit Function
            End If
        End If
    End If
    GetConfig = default
    GetConfig = ExpandEnvironmentStrings(GetConfig)
End Function
