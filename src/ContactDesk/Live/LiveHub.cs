using System.Threading.Channels;

namespace ContactDesk.Live;

/// <summary>
/// The in-process fan-out: one <see cref="LiveFeed"/> per instance publishes, every open event
/// stream of this instance has a subscription. A stream too slow to keep up loses its oldest
/// events rather than holding memory; it catches up from the trail when it reconnects.
/// </summary>
public sealed class LiveHub
{
    private readonly Lock gate = new();
    private readonly HashSet<Channel<LiveEvent>> subscribers = [];

    public int Subscribers
    {
        get
        {
            lock (gate)
            {
                return subscribers.Count;
            }
        }
    }

    public Subscription Subscribe()
    {
        var channel = Channel.CreateBounded<LiveEvent>(new BoundedChannelOptions(1000)
        {
            FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true,
        });
        lock (gate)
        {
            subscribers.Add(channel);
        }
        return new Subscription(this, channel);
    }

    public void Publish(LiveEvent e)
    {
        lock (gate)
        {
            foreach (var channel in subscribers)
            {
                channel.Writer.TryWrite(e);
            }
        }
    }

    private void Remove(Channel<LiveEvent> channel)
    {
        lock (gate)
        {
            subscribers.Remove(channel);
        }
    }

    public sealed class Subscription(LiveHub hub, Channel<LiveEvent> channel) : IDisposable
    {
        public ChannelReader<LiveEvent> Reader => channel.Reader;

        public void Dispose() => hub.Remove(channel);
    }
}
