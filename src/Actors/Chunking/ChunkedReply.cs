using Akka.Actor;

namespace AkkaDns.Actors.Chunking;

/// <summary>
/// Ask for a reply that may be larger than one frame: the replier answers with <see cref="ChunkedTransport.Tell"/>
/// (the reply itself when small, else its <see cref="TransferChunk"/>s), and a short-lived collector here rebuilds
/// it. A plain Ask cannot: it takes the first message only.
/// </summary>
public static class ChunkedReply
{
    /// <summary>The whole reply, or null when it did not arrive complete within <paramref name="timeout"/>.</summary>
    public static Task<object?> Ask(ActorSystem system, IActorRef target, object request, TimeSpan timeout, CancellationToken ct = default)
    {
        var done = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var collector = system.ActorOf(Props.Create(() => new Collector(target, request, timeout, done)));
        if (ct.CanBeCanceled) ct.Register(() => { if (done.TrySetCanceled(ct)) collector.Tell(PoisonPill.Instance); });
        return WithDeadline(done, collector, timeout * 2);
    }

    /// <summary>Whatever happens to the collector (even a failure to start), the caller gets an answer in bounded time.</summary>
    private static async Task<object?> WithDeadline(TaskCompletionSource<object?> done, IActorRef collector, TimeSpan deadline)
    {
        if (await Task.WhenAny(done.Task, Task.Delay(deadline)) == done.Task) return await done.Task;
        done.TrySetResult(null);
        collector.Tell(PoisonPill.Instance);
        return null;
    }

    private sealed class Collector : ReceiveActor
    {
        private readonly TaskCompletionSource<object?> _done;

        public Collector(IActorRef target, object request, TimeSpan timeout, TaskCompletionSource<object?> done)
        {
            _done = done;
            // A transfer that breaks completes the task with null, like a timeout: the caller says "no answer".
            var inbox = new ChunkInbox(Context.System, timeout, _ => Finish(null));
            target.Tell(request);
            SetReceiveTimeout(timeout);
            Receive<TransferChunk>(c => inbox.Receive(c, Self, Sender));
            Receive<ReceiveTimeout>(_ => Finish(null));
            ReceiveAny(Finish);
        }

        private void Finish(object? reply)
        {
            _done.TrySetResult(reply);
            Context.Stop(Self);
        }
    }
}
