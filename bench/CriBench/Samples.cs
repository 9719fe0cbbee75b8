namespace Sealpod.Bench.Cri;

/// <summary>One measured quantity's values over the rounds, and the figures a table shows of them.</summary>
public sealed class Samples
{
    private readonly List<double> _values = [];

    public int Count => _values.Count;

    public void Add(double milliseconds) => _values.Add(milliseconds);

    public double Median
    {
        get
        {
            var sorted = Sorted();
            return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
        }
    }

    public double Min => Sorted()[0];

    public double Max => Sorted()[^1];

    /// <summary>"median ms (min–max)", for a table cell.</summary>
    public string Cell() => string.Create(CultureInfo.InvariantCulture, $"{Median:F0} ms ({Min:F0}–{Max:F0})");

    private List<double> Sorted() => _values.Count > 0 ? _values.Order().ToList() : throw new InvalidOperationException("no samples");
}
