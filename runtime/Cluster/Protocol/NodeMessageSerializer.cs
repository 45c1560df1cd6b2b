using System.Text;
using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;

namespace Puma.Runtime.Cluster.Protocol;

/// <summary>
/// Writes <see cref="INodeMessage"/>s in a compact binary form (length-prefixed UTF-8 strings, raw payload bytes):
/// control frames cross the network as they are, with no JSON or base64 around them.
/// </summary>
internal sealed class NodeMessageSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>The serializer's id (Akka reserves 0..100).</summary>
    public const int Id = 4712;

    /// <summary>Binds <see cref="INodeMessage"/> to this serializer.</summary>
    public static Config Configuration { get; } = ConfigurationFactory.ParseString($$"""
        akka.actor.serializers.puma-node = "{{typeof(NodeMessageSerializer).AssemblyQualifiedName}}"
        akka.actor.serialization-bindings."{{typeof(INodeMessage).AssemblyQualifiedName}}" = puma-node
        akka.actor.serialization-identifiers."{{typeof(NodeMessageSerializer).AssemblyQualifiedName}}" = {{Id}}
        """);

    /// <inheritdoc />
    public override int Identifier => Id;

    /// <inheritdoc />
    public override string Manifest(object o) => o switch
    {
        SpawnChild => "S",
        ChildSpawned => "P",
        SpawnFailed => "F",
        ToChild => "T",
        FromChild => "C",
        ChildOutput => "O",
        ChildExited => "X",
        KillChild => "K",
        _ => throw new ArgumentException($"{o.GetType()} is not a Puma node message.", nameof(o)),
    };

    /// <inheritdoc />
    public override byte[] ToBinary(object obj)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            switch (obj)
            {
                case SpawnChild m:
                    w.Write(m.RunId);
                    w.Write(m.Runnable);
                    w.Write(m.Ports.Count);
                    foreach (var p in m.Ports)
                    {
                        w.Write(p.Port);
                        w.Write(p.Buffer);
                        w.Write(p.IsWriter);
                        w.Write(p.CapacityBytes);
                        w.Write(p.Host);
                        w.Write(p.BridgePort);
                        w.Write(p.Token);
                    }
                    break;
                case ChildSpawned m:
                    w.Write(m.RunId);
                    w.Write(m.Pid);
                    w.Write(m.Segments.Count);
                    foreach ((var port, var segment) in m.Segments)
                    {
                        w.Write(port);
                        w.Write(segment);
                    }
                    break;
                case SpawnFailed m:
                    w.Write(m.RunId);
                    w.Write(m.Error);
                    break;
                case ToChild m:
                    WriteFrame(w, m.RunId, m.Kind, m.Payload);
                    break;
                case FromChild m:
                    WriteFrame(w, m.RunId, m.Kind, m.Payload);
                    break;
                case ChildOutput m:
                    w.Write(m.RunId);
                    w.Write(m.IsStandardError);
                    w.Write(m.Line);
                    break;
                case ChildExited m:
                    w.Write(m.RunId);
                    w.Write(m.ExitCode);
                    break;
                case KillChild m:
                    w.Write(m.RunId);
                    break;
                default:
                    throw new ArgumentException($"{obj.GetType()} is not a Puma node message.", nameof(obj));
            }
        }
        return stream.ToArray();
    }

    /// <inheritdoc />
    public override object FromBinary(byte[] bytes, string manifest)
    {
        using var r = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
        return manifest switch
        {
            "S" => ReadSpawn(r),
            "P" => ReadSpawned(r),
            "F" => new SpawnFailed(r.ReadString(), r.ReadString()),
            "T" => ReadFrame(r, static (id, kind, payload) => new ToChild(id, kind, payload)),
            "C" => ReadFrame(r, static (id, kind, payload) => new FromChild(id, kind, payload)),
            "O" => new ChildOutput(r.ReadString(), r.ReadBoolean(), r.ReadString()),
            "X" => new ChildExited(r.ReadString(), r.ReadInt32()),
            "K" => new KillChild(r.ReadString()),
            _ => throw new System.Runtime.Serialization.SerializationException($"Unknown Puma node message manifest '{manifest}'."),
        };
    }

    private static void WriteFrame(BinaryWriter w, string runId, byte kind, byte[] payload)
    {
        w.Write(runId);
        w.Write(kind);
        w.Write(payload.Length);
        w.Write(payload);
    }

    private static T ReadFrame<T>(BinaryReader r, Func<string, byte, byte[], T> create)
    {
        var id = r.ReadString();
        var kind = r.ReadByte();
        var length = r.ReadInt32();
        return create(id, kind, r.ReadBytes(length));
    }

    private static SpawnChild ReadSpawn(BinaryReader r)
    {
        var id = r.ReadString();
        var runnable = r.ReadString();
        var ports = new ProxyPort[r.ReadInt32()];
        for (var i = 0; i < ports.Length; i++)
            ports[i] = new ProxyPort(r.ReadString(), r.ReadString(), r.ReadBoolean(), r.ReadInt64(), r.ReadString(), r.ReadInt32(), r.ReadString());
        return new SpawnChild(id, runnable, ports);
    }

    private static ChildSpawned ReadSpawned(BinaryReader r)
    {
        var id = r.ReadString();
        var pid = r.ReadInt32();
        var count = r.ReadInt32();
        var segments = new Dictionary<string, string>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
            segments[r.ReadString()] = r.ReadString();
        return new ChildSpawned(id, pid, segments);
    }
}
