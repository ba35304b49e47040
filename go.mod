module github.com/dmpgen/dmpgen

go 1.26
