// Command plain uses cgo but not go-ethereum's crypto: a static cgo binary
// without libsecp256k1 recovery, which checkbin must refuse (checkbin_test.go).
package main

// #include <stdlib.h>
import "C"

import "fmt"

func main() {
	fmt.Println("abs:", C.abs(-1))
}
