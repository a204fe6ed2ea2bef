/// What a webhook callback says about a node: only a hint. The review comes before the API server stores the
/// change (and another webhook may still deny it), and anything that can reach the webhook's port can send one,
/// so the scheduler reads the node from the API server and acts on what it read (`HealingScheduler.confirm`).
public struct NodeHint: Sendable, Equatable {
    public enum Change: Sendable, Equatable {
        /// A node registering: it exists once the API server has stored it.
        case created
        /// A node changed; `previousResourceVersion` is the version stored when the API server called (the review's
        /// `oldObject`): a read that still shows it means the change is not stored yet.
        case updated(previousResourceVersion: String?)
        /// A node being deleted: it is gone once a read answers 404.
        case deleted
    }

    public var name: String
    public var change: Change

    public init(name: String, change: Change) {
        self.name = name
        self.change = change
    }
}
