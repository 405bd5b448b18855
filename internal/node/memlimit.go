package node

// memoryHeadroomMB is the Go heap a node uses beside its caches: the
// transaction pool, the intake's tracking, the receipt cache, RPC answers in
// flight (W1 with 60,000 transfers: ~170 MiB of heap in use at its end, the
// receipt cache and the pool's transactions the largest parts).
const memoryHeadroomMB = 256

// MemoryLimit returns the soft limit, in bytes, of the Go runtime's memory
// for a node given cache MiB (--cache): twice the cache plus
// memoryHeadroomMB. Below it the garbage collector runs at its usual pace
// (GOGC=100: the heap may grow to twice what is live); near it the collector
// runs more often instead of letting the heap double. pebble's block cache
// and memtables (C memory) and geth's trie and snapshot caches (mmap) are not
// counted by the Go runtime, so the process's RSS may exceed the limit by up
// to the cache itself. A limit is soft: the heap may pass it, with the
// collector using at most half the CPU, rather than the process failing.
func MemoryLimit(cache int) int64 {
	return int64(2*cache+memoryHeadroomMB) << 20
}
