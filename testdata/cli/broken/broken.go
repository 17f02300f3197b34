package broken

var count int = "three"

func Use() string { return count }
