// SPDX-License-Identifier: LGPL-3.0-or-later
pragma solidity 0.8.30;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

import {IDirectory, Roles} from "./IDirectory.sol";

/// @title Documents: government documents by hash, issued, verified, revoked, superseded
/// @notice A department holding the ISSUER role in the Directory issues a
///         document by its hash, one at a time or thousands at once as the
///         root of a Merkle tree. Anyone verifies a document: its status
///         (valid, not yet valid, expired, revoked, superseded or unknown),
///         issuing department and times. Only the issuing department revokes
///         or supersedes it.
///
///         No personal data is stored: a document is its hash (keccak256 of
///         the document file), a type code, a salted holder reference
///         (keccak256 of a random salt and the holder's identifier, computed
///         off chain, so the holder can prove the link by revealing the salt
///         but nobody can enumerate holders) and validity times.
///
///         A batch leaf is keccak256(bytes.concat(keccak256(abi.encode(docHash,
///         docType, holderRef, validFrom, validUntil)))): double hashed, so an
///         inner node of the tree can never pass as a leaf. Inner nodes hash
///         the sorted pair (OpenZeppelin MerkleProof).
/// @dev Storage layout (for eth_getProof): slot 0 directory, then the
///      mappings below in order from slot 1.
contract Documents {
    /// @notice Verification result.
    enum Status {
        Unknown,
        Valid,
        NotYetValid,
        Expired,
        Revoked,
        Superseded
    }

    /// @notice The public fields of a document (a batch leaf hashes exactly these).
    struct DocumentData {
        bytes32 docHash;
        bytes32 docType;
        bytes32 holderRef;
        uint64 validFrom; // seconds since the Unix epoch
        uint64 validUntil; // seconds since the Unix epoch; 0: no expiry
    }

    /// @notice A document issued on its own.
    struct Record {
        bytes32 issuer; // department code
        bytes32 docType;
        bytes32 holderRef;
        uint64 validFrom;
        uint64 validUntil;
        uint64 issuedAt;
    }

    /// @notice A batch of documents issued as one Merkle root.
    struct Batch {
        bytes32 issuer; // department code
        uint64 issuedAt;
        uint64 revokedAt; // 0: not revoked
        uint32 count; // documents in the batch, as declared by the issuer
    }

    /// @notice Revocation or supersession of one document (on its own or in a batch).
    struct Mark {
        uint64 revokedAt; // 0: not revoked
        uint64 supersededAt; // 0: not superseded
        bytes32 supersededBy; // hash of the replacing document
    }

    /// @notice Everything verify reports about a document.
    struct Verification {
        Status status;
        bytes32 issuer;
        uint64 validFrom;
        uint64 validUntil;
        uint64 issuedAt;
        uint64 revokedAt;
        uint64 supersededAt;
        bytes32 supersededBy;
        bytes32 batchRoot; // zero for a document issued on its own
    }

    /// @notice The Directory asked for issuer roles.
    IDirectory public directory; // slot 0
    mapping(bytes32 docHash => Record) private _records; // slot 1
    mapping(bytes32 root => Batch) private _batches; // slot 2
    mapping(bytes32 key => Mark) private _marks; // slot 3, key: keccak256(abi.encode(root, docHash)), root 0 on its own

    /// @notice The caller holds no ISSUER role in an active department.
    error NotIssuer(address account);
    /// @notice The caller's department did not issue this document or batch.
    error NotIssuingDepartment(bytes32 issuer, bytes32 caller);
    /// @notice A document hash or batch root was zero.
    error ZeroHash();
    /// @notice validUntil is not after validFrom (use 0 for no expiry).
    error InvalidValidity(uint64 validFrom, uint64 validUntil);
    /// @notice A batch declared no documents.
    error EmptyBatch();
    /// @notice This document hash was already issued on its own.
    error DocumentExists(bytes32 docHash);
    /// @notice This batch root was already issued.
    error BatchExists(bytes32 root);
    /// @notice No document with this hash was issued on its own.
    error UnknownDocument(bytes32 docHash);
    /// @notice No batch has this root.
    error UnknownBatch(bytes32 root);
    /// @notice The proof does not place this document in this batch.
    error InvalidProof(bytes32 root, bytes32 docHash);
    /// @notice The document (or its whole batch) was already revoked.
    error AlreadyRevoked(bytes32 docHash);
    /// @notice The document was already superseded by another.
    error AlreadySuperseded(bytes32 docHash, bytes32 supersededBy);
    /// @notice The batch was already revoked.
    error BatchAlreadyRevoked(bytes32 root);
    /// @notice A document cannot supersede itself.
    error SelfSupersede(bytes32 docHash);

    /// @notice A document was issued on its own.
    event DocumentIssued(
        bytes32 indexed docHash,
        bytes32 indexed issuer,
        bytes32 indexed docType,
        bytes32 holderRef,
        uint64 validFrom,
        uint64 validUntil
    );
    /// @notice A batch of `count` documents was issued as Merkle root `root`.
    event BatchIssued(bytes32 indexed root, bytes32 indexed issuer, uint32 count);
    /// @notice A document was revoked (root is zero for a document issued on its own).
    event DocumentRevoked(bytes32 indexed docHash, bytes32 indexed issuer, bytes32 indexed root);
    /// @notice A whole batch was revoked.
    event BatchRevoked(bytes32 indexed root, bytes32 indexed issuer);
    /// @notice A document was replaced by a new one, issued on its own in the same transaction.
    event DocumentSuperseded(bytes32 indexed docHash, bytes32 indexed newDocHash, bytes32 indexed issuer);

    /// @param directory_ the Directory that grants the ISSUER role
    constructor(IDirectory directory_) {
        directory = directory_;
    }

    // ---------------------------------------------------------------- issuing

    /// @notice Issues one document for the caller's department.
    function issue(DocumentData calldata doc) external {
        _issue(_issuerDepartment(), doc);
    }

    /// @notice Issues a batch of `count` documents as Merkle root `root`
    ///         (leaves as described above); each is then verified with its proof.
    function issueBatch(bytes32 root, uint32 count) external {
        bytes32 issuer = _issuerDepartment();
        if (root == bytes32(0)) revert ZeroHash();
        if (count == 0) revert EmptyBatch();
        if (_batches[root].issuedAt != 0) revert BatchExists(root);
        _batches[root] = Batch({issuer: issuer, issuedAt: uint64(block.timestamp), revokedAt: 0, count: count});
        emit BatchIssued(root, issuer, count);
    }

    // ---------------------------------------------------------------- revoking

    /// @notice Revokes a document issued on its own.
    function revoke(bytes32 docHash) external {
        bytes32 issuer = _records[docHash].issuer;
        if (issuer == bytes32(0)) revert UnknownDocument(docHash);
        _onlyIssuer(issuer);
        _revoke(bytes32(0), docHash, issuer);
    }

    /// @notice Revokes one document of a batch, shown with its proof.
    function revokeInBatch(bytes32 root, DocumentData calldata doc, bytes32[] calldata proof) external {
        bytes32 issuer = _batchMember(root, doc, proof);
        _onlyIssuer(issuer);
        if (_batches[root].revokedAt != 0) revert AlreadyRevoked(doc.docHash);
        _revoke(root, doc.docHash, issuer);
    }

    /// @notice Revokes every document of a batch.
    function revokeBatch(bytes32 root) external {
        Batch storage b = _batches[root];
        if (b.issuedAt == 0) revert UnknownBatch(root);
        _onlyIssuer(b.issuer);
        if (b.revokedAt != 0) revert BatchAlreadyRevoked(root);
        b.revokedAt = uint64(block.timestamp);
        emit BatchRevoked(root, b.issuer);
    }

    // ---------------------------------------------------------------- superseding

    /// @notice Replaces a document issued on its own by `next`, issued now.
    function supersede(bytes32 docHash, DocumentData calldata next) external {
        bytes32 issuer = _records[docHash].issuer;
        if (issuer == bytes32(0)) revert UnknownDocument(docHash);
        _onlyIssuer(issuer);
        _supersede(bytes32(0), docHash, issuer, next);
    }

    /// @notice Replaces a document of a batch, shown with its proof, by `next`, issued now.
    function supersedeInBatch(bytes32 root, DocumentData calldata doc, bytes32[] calldata proof, DocumentData calldata next)
        external
    {
        bytes32 issuer = _batchMember(root, doc, proof);
        _onlyIssuer(issuer);
        if (_batches[root].revokedAt != 0) revert AlreadyRevoked(doc.docHash);
        _supersede(root, doc.docHash, issuer, next);
    }

    // ---------------------------------------------------------------- views

    /// @notice The status and record of a document issued on its own
    ///         (status Unknown if none has this hash).
    function verify(bytes32 docHash) external view returns (Verification memory v) {
        Record storage r = _records[docHash];
        if (r.issuer == bytes32(0)) return v;
        v = Verification({
            status: Status.Unknown,
            issuer: r.issuer,
            validFrom: r.validFrom,
            validUntil: r.validUntil,
            issuedAt: r.issuedAt,
            revokedAt: 0,
            supersededAt: 0,
            supersededBy: bytes32(0),
            batchRoot: bytes32(0)
        });
        _applyMarks(v, bytes32(0), docHash);
    }

    /// @notice The status of a document of a batch shown with its proof
    ///         (status Unknown if the batch does not exist or the proof fails).
    function verifyInBatch(bytes32 root, DocumentData calldata doc, bytes32[] calldata proof)
        external
        view
        returns (Verification memory v)
    {
        Batch storage b = _batches[root];
        if (b.issuedAt == 0 || !MerkleProof.verifyCalldata(proof, root, leaf(doc))) return v;
        v = Verification({
            status: Status.Unknown,
            issuer: b.issuer,
            validFrom: doc.validFrom,
            validUntil: doc.validUntil,
            issuedAt: b.issuedAt,
            revokedAt: b.revokedAt,
            supersededAt: 0,
            supersededBy: bytes32(0),
            batchRoot: root
        });
        _applyMarks(v, root, doc.docHash);
    }

    /// @notice A batch: its issuing department, time, revocation time and declared size.
    function batch(bytes32 root) external view returns (Batch memory) {
        return _batches[root];
    }

    /// @notice The Merkle leaf of a document in a batch.
    function leaf(DocumentData calldata doc) public pure returns (bytes32) {
        return keccak256(
            bytes.concat(keccak256(abi.encode(doc.docHash, doc.docType, doc.holderRef, doc.validFrom, doc.validUntil)))
        );
    }

    // ---------------------------------------------------------------- internal

    function _issuerDepartment() private view returns (bytes32 issuer) {
        issuer = directory.departmentWithRole(msg.sender, Roles.ISSUER);
        if (issuer == bytes32(0)) revert NotIssuer(msg.sender);
    }

    function _onlyIssuer(bytes32 issuer) private view {
        bytes32 caller = _issuerDepartment();
        if (caller != issuer) revert NotIssuingDepartment(issuer, caller);
    }

    function _issue(bytes32 issuer, DocumentData calldata doc) private {
        if (doc.docHash == bytes32(0)) revert ZeroHash();
        if (doc.validUntil != 0 && doc.validUntil <= doc.validFrom) {
            revert InvalidValidity(doc.validFrom, doc.validUntil);
        }
        if (_records[doc.docHash].issuer != bytes32(0)) revert DocumentExists(doc.docHash);
        _records[doc.docHash] = Record({
            issuer: issuer,
            docType: doc.docType,
            holderRef: doc.holderRef,
            validFrom: doc.validFrom,
            validUntil: doc.validUntil,
            issuedAt: uint64(block.timestamp)
        });
        emit DocumentIssued(doc.docHash, issuer, doc.docType, doc.holderRef, doc.validFrom, doc.validUntil);
    }

    function _batchMember(bytes32 root, DocumentData calldata doc, bytes32[] calldata proof)
        private
        view
        returns (bytes32 issuer)
    {
        issuer = _batches[root].issuer;
        if (issuer == bytes32(0)) revert UnknownBatch(root);
        if (!MerkleProof.verifyCalldata(proof, root, leaf(doc))) revert InvalidProof(root, doc.docHash);
    }

    /// @dev Marks are kept per batch (root zero: issued on its own), so a
    ///      department can never mark another department's document by
    ///      putting its hash in a batch of its own.
    function _mark(bytes32 root, bytes32 docHash) private view returns (Mark storage) {
        return _marks[keccak256(abi.encode(root, docHash))];
    }

    function _revoke(bytes32 root, bytes32 docHash, bytes32 issuer) private {
        Mark storage m = _mark(root, docHash);
        if (m.revokedAt != 0) revert AlreadyRevoked(docHash);
        m.revokedAt = uint64(block.timestamp);
        emit DocumentRevoked(docHash, issuer, root);
    }

    function _supersede(bytes32 root, bytes32 docHash, bytes32 issuer, DocumentData calldata next) private {
        if (next.docHash == docHash) revert SelfSupersede(docHash);
        Mark storage m = _mark(root, docHash);
        if (m.revokedAt != 0) revert AlreadyRevoked(docHash);
        if (m.supersededAt != 0) revert AlreadySuperseded(docHash, m.supersededBy);
        m.supersededAt = uint64(block.timestamp);
        m.supersededBy = next.docHash;
        _issue(issuer, next);
        emit DocumentSuperseded(docHash, next.docHash, issuer);
    }

    function _applyMarks(Verification memory v, bytes32 root, bytes32 docHash) private view {
        Mark storage m = _mark(root, docHash);
        if (v.revokedAt == 0) v.revokedAt = m.revokedAt;
        v.supersededAt = m.supersededAt;
        v.supersededBy = m.supersededBy;
        if (v.revokedAt != 0) {
            v.status = Status.Revoked;
        } else if (v.supersededAt != 0) {
            v.status = Status.Superseded;
        } else if (v.validUntil != 0 && block.timestamp >= v.validUntil) {
            v.status = Status.Expired;
        } else if (block.timestamp < v.validFrom) {
            v.status = Status.NotYetValid;
        } else {
            v.status = Status.Valid;
        }
    }
}
