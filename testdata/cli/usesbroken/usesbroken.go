package usesbroken

import "example.com/fixture/broken"

func Count() string { return broken.Use() }
