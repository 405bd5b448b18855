package x

func TestX(t *testing.T) {}
