package nested

func Untested() {}
