namespace AkkaDns.Actors.Serialization;

/// <summary>
/// Marker for every persisted event, snapshot and message that may cross nodes. config/akkadns.conf binds it to
/// <see cref="AkkaDnsSerializer"/>, so none of them is ever written with Akka's default (JSON) serializer.
/// A type that implements it must have a manifest in <see cref="AkkaDnsSerializer"/>, or serialization fails loudly.
/// </summary>
public interface IAkkaDnsMessage;
