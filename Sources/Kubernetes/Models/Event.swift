/// An `events.k8s.io/v1` Event: what happened to an object, shown by `kubectl describe` and `kubectl events`.
///
/// The API server requires `eventTime`, `reportingController`, `reportingInstance`, `action`, `reason` and a
/// `type` of Normal or Warning; an Event about a cluster-scoped object (a Node) lives in namespace `default`.
public struct Event: Codable, Sendable, Equatable {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    /// When it happened, with microseconds.
    public var eventTime: MicroTime
    /// The component that reports, e.g. `cops-vigilante`.
    public var reportingController: String
    /// Which instance of it, e.g. the pod name.
    public var reportingInstance: String
    /// What was done, in CamelCase (`Heal`).
    public var action: String
    /// Why, in CamelCase (`SnatHealingStarted`); what `kubectl describe` shows in its Reason column.
    public var reason: String
    /// The object the Event is about.
    public var regarding: ObjectReference
    /// A human-readable sentence, at most 1 KB.
    public var note: String?
    public var type: EventType

    public init(
        metadata: ObjectMeta, eventTime: MicroTime, reportingController: String, reportingInstance: String,
        action: String, reason: String, regarding: ObjectReference, note: String?, type: EventType
    ) {
        self.apiVersion = "events.k8s.io/v1"
        self.kind = "Event"
        self.metadata = metadata
        self.eventTime = eventTime
        self.reportingController = reportingController
        self.reportingInstance = reportingInstance
        self.action = action
        self.reason = reason
        self.regarding = regarding
        self.note = note
        self.type = type
    }
}

/// `type` of an Event: the only two values the API server accepts.
public enum EventType: String, Codable, Sendable, CaseIterable {
    case normal = "Normal"
    case warning = "Warning"
}

/// A reference to the object an Event is about (`core/v1` ObjectReference, the fields used).
public struct ObjectReference: Codable, Sendable, Equatable {
    public var apiVersion: String?
    public var kind: String?
    public var name: String?
    public var namespace: String?
    public var uid: String?

    public init(
        apiVersion: String? = nil, kind: String? = nil, name: String? = nil, namespace: String? = nil,
        uid: String? = nil
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.namespace = namespace
        self.uid = uid
    }
}
