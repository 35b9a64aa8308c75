module github.com/taolite/taolite/ffi/go

go 1.19
