using System.Text.Json;
using System.Text.Json.Serialization;

namespace Puma.Runtime.Pipelines;

/// <summary>The JSON form of a <see cref="PipelineSpec"/>: indented, enums as names, case-insensitive, unknown members rejected.</summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    UseStringEnumConverter = true,
    PropertyNameCaseInsensitive = true,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PipelineSpec))]
internal sealed partial class PipelineSpecJsonContext : JsonSerializerContext;
