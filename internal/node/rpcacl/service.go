package rpcacl

// Namespace and Method are the JSON-RPC method a refused call is replaced by
// (rpcacl_refused). Its service is registered on the listener's server by
// Register; calling it directly only ever returns an error.
const (
	Namespace = "rpcacl"
	Method    = Namespace + "_refused"
)

// JSON-RPC error codes (JSON-RPC 2.0).
const (
	codeParse          = -32700
	codeMethodNotFound = -32601
)

// Service answers the calls Rewrite replaced.
type Service struct{}

// Refused answers a refused call with the error Rewrite wrote in its place
// (the client's method name is only inside message, so that nothing in front
// of the server takes the call for the one refused).
func (Service) Refused(code int, message string) error {
	return &refusal{code, message}
}

// refusal is a JSON-RPC error with its code.
type refusal struct {
	code int
	msg  string
}

func (e *refusal) Error() string  { return e.msg }
func (e *refusal) ErrorCode() int { return e.code }
