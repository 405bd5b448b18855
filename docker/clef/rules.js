// clef rules for a citychain signer: sign Clique headers, nothing else.
function ApproveSignData(req) {
	if (req.content_type === "application/x-clique-header") {
		return "Approve";
	}
	return "Reject";
}
function ApproveListing(req) { return "Reject"; }
function ApproveTx(req) { return "Reject"; }
function OnSignerStartup(info) {}
function OnApprovedTx(tx) {}
