namespace KernelForge.Translation.Passes;

/// <summary>Names for values a pass adds: <c>stem</c>, else <c>stem_1</c>, <c>stem_2</c>… the first not yet in the graph.</summary>
internal static class FreshNames
{
    /// <summary>Takes (adds to <paramref name="names"/>) and returns the first free name derived from <paramref name="stem"/>.</summary>
    public static string Take(HashSet<string> names, string stem)
    {
        var name = stem;
        for (var i = 1; !names.Add(name); i++)
        {
            name = stem + "_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return name;
    }
}
