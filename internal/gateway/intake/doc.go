// Package intake is citygate's durable ballot queue for the Active Citizen
// polls: it checks a ballot signed by a resident's wallet (EIP-712,
// eth_signTypedData_v4 form) against the poll it names (open, option,
// signature, eligibility proof, not voted, not queued), stores it in an
// embedded goleveldb database with a synced write before it answers, and
// keeps each ballot's state as the relayer moves it: queued, sent (in a
// relay transaction), counted or rejected (with the contract's reason).
//
// A ballot's id is derived from the chain, the Polls contract, the poll and
// the voter: one voter has one ballot per poll, and a resubmitted ballot gets
// the same id. Every change of state is also an event, numbered in order, for
// the server-sent event stream the Active Citizen back end follows.
//
// Concurrent writes share one fsync: goleveldb merges the writes waiting
// for the journal into one (its write merge), so a busy intake syncs once
// per group, not once per ballot.
package intake
