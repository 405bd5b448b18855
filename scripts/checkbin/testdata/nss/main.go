// Command nss looks a user up through glibc's getpwnam, which a static glibc
// can serve only by loading NSS modules at run time: scripts/build-static.sh
// must refuse it (checkbin_test.go).
package main

// #include <pwd.h>
// #include <stdlib.h>
import "C"

import (
	"fmt"
	"unsafe"
)

func main() {
	name := C.CString("root")
	defer C.free(unsafe.Pointer(name))
	fmt.Println("found:", C.getpwnam(name) != nil)
}
