// Package relayer moves the ballots of citygate's intake to the Polls
// contract: it batches queued ballots of one poll into Polls.relay
// transactions signed with the relayer role's key, numbers them with the
// account's nonces, records each transaction before sending it (so that a
// restart finds it and sends it again unchanged), watches for receipts,
// sends again what is not mined in time, and stores each ballot's outcome:
// counted (its BallotCast log) or rejected (the contract's reason from its
// BallotRejected log). A ballot rejected as AlreadyVoted whose own earlier
// relay was counted (a transaction sent again after a restart) is counted,
// with the log that counted it.
package relayer
