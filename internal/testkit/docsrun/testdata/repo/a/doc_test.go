package a

// uses docsrun
func TestDoc(t *testing.T) {
	s := docsrun.NewSession(t, root, "README.md", bin)
	s.Run("cityctl doc issue --key k")
	s.Run("cityctl doc verify")
}
