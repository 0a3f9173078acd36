using System.Globalization;

namespace ContactDesk.Tests.Operations;

/// <summary>A scrape in the Prometheus text format, read into samples: <c>name{labels} value</c>.</summary>
public sealed class PrometheusText
{
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    public required IReadOnlyList<Sample> Samples { get; init; }

    public required IReadOnlyDictionary<string, string> Types { get; init; }

    public static PrometheusText Parse(string text)
    {
        var samples = new List<Sample>();
        var types = new Dictionary<string, string>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith("# TYPE "))
            {
                var parts = line.Split(' ');
                types[parts[2]] = parts[3];
                continue;
            }
            if (line.StartsWith('#'))
            {
                continue;
            }
            var labelsStart = line.IndexOf('{');
            var labels = new Dictionary<string, string>();
            string name, rest;
            if (labelsStart >= 0)
            {
                name = line[..labelsStart];
                var labelsEnd = line.LastIndexOf('}');
                foreach (var pair in SplitLabels(line[(labelsStart + 1)..labelsEnd]))
                {
                    var eq = pair.IndexOf('=');
                    labels[pair[..eq]] = pair[(eq + 2)..^1];
                }
                rest = line[(labelsEnd + 1)..];
            }
            else
            {
                name = line[..line.IndexOf(' ')];
                rest = line[name.Length..];
            }
            // A value may be followed by a timestamp.
            var value = rest.Trim().Split(' ')[0];
            samples.Add(new Sample(name, labels, value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                _ => double.Parse(value, CultureInfo.InvariantCulture),
            }));
        }
        return new PrometheusText { Samples = samples, Types = types };
    }

    /// <summary>The sum over every sample of that name whose labels include <paramref name="labels"/>.</summary>
    public double Sum(string name, params (string Key, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).Sum(s => s.Value);

    public bool Has(string name) => Samples.Any(s => s.Name == name);

    // Label values are quoted and may hold escaped quotes and commas.
    private static IEnumerable<string> SplitLabels(string labels)
    {
        var start = 0;
        var quoted = false;
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] == '"' && (i == 0 || labels[i - 1] != '\\'))
            {
                quoted = !quoted;
            }
            else if (labels[i] == ',' && !quoted)
            {
                yield return labels[start..i];
                start = i + 1;
            }
        }
        if (start < labels.Length)
        {
            yield return labels[start..];
        }
    }
}
