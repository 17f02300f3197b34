module github.com/kafkalint/kafkalint/examples

go 1.26
