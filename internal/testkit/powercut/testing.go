package powercut

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/citychain/citychain/internal/testkit/proctest"
)

// Need fails the test under CI (CI must run power-cut tests: as root, with
// /dev/fuse) and skips it elsewhere when this process cannot mount.
func Need(t testing.TB) {
	t.Helper()
	if err := Check(); err != nil {
		if proctest.UnderCI() {
			t.Fatalf("%v (CI is set: the power-cut tests must run)", err)
		}
		t.Skip(err)
	}
}

// MountT mounts backing at mnt for the test (Need first) and closes the mount
// when the test ends, if the test has not.
func MountT(t testing.TB, backing, mnt string) *FS {
	t.Helper()
	Need(t)
	f, err := Mount(backing, mnt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := f.Close(); err != nil {
			t.Error(err)
		}
	})
	return f
}

// TempT mounts an empty backing directory under t.TempDir.
func TempT(t testing.TB) *FS {
	t.Helper()
	Need(t)
	dir := t.TempDir()
	backing, mnt := filepath.Join(dir, "disk"), filepath.Join(dir, "mnt")
	for _, d := range []string{backing, mnt} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	return MountT(t, backing, mnt)
}

// CutAndRemount cuts the power and remounts (RemountT): the machine is back,
// with what the disk kept. Stop the processes using f first.
func CutAndRemount(t testing.TB, f *FS) *FS {
	t.Helper()
	f.Cut()
	return RemountT(t, f)
}

// RemountT closes f (after a Cut: the backing directory now holds only what
// was durable) and mounts its backing directory again at the same place.
func RemountT(t testing.TB, f *FS) *FS {
	t.Helper()
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return MountT(t, f.backing, f.mnt)
}
