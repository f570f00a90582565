using System.Globalization;
using System.Text;

namespace Nova.Firmware.Protocols.Swu;

/// <summary>
/// A parser for the libconfig syntax SWUpdate's sw-description is written in: settings
/// (<c>name = value;</c> or <c>name: value</c>), groups <c>{}</c>, arrays <c>[]</c>, lists <c>()</c>,
/// strings (escapes, adjacent strings joined), integers (decimal, hex, L/LL suffix), floats,
/// booleans and the three comment styles. <c>@include</c> is refused: a bundle must be self-contained.
/// Nesting is capped so a hostile document cannot exhaust the stack.
/// </summary>
public sealed class LibconfigParser
{
    public const int MaxDepth = 64;

    private readonly string _text;
    private int _pos;
    private int _line = 1;
    private int _depth;

    private LibconfigParser(string text) => _text = text;

    /// <summary>Parses a whole document (an implicit top-level group).</summary>
    /// <exception cref="SwuFormatException">The text is not valid libconfig; the message names the line.</exception>
    public static LibconfigGroup Parse(string text)
    {
        var parser = new LibconfigParser(text);
        var settings = parser.ParseSettings(endChar: null);
        return new LibconfigGroup(settings, 1);
    }

    private List<LibconfigSetting> ParseSettings(char? endChar)
    {
        var settings = new List<LibconfigSetting>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            SkipTrivia();
            if (AtEnd)
            {
                if (endChar is not null)
                {
                    throw Error($"unexpected end of text: missing '{endChar}'");
                }
                return settings;
            }
            if (endChar is not null && Peek == endChar)
            {
                _pos++;
                return settings;
            }
            if (Peek == '@')
            {
                throw Error("@include and other directives are not allowed in sw-description");
            }
            var line = _line;
            var name = ParseName();
            SkipTrivia();
            if (!AtEnd && (Peek == '=' || Peek == ':'))
            {
                _pos++;
            }
            else
            {
                throw Error($"expected '=' or ':' after '{name}'");
            }
            var value = ParseValue();
            if (!names.Add(name))
            {
                throw Error($"duplicate setting '{name}' (first defined earlier in the same group, line {line})");
            }
            settings.Add(new LibconfigSetting(name, value));
            SkipTrivia();
            if (!AtEnd && (Peek == ';' || Peek == ','))
            {
                _pos++;
            }
        }
    }

    private string ParseName()
    {
        var start = _pos;
        if (AtEnd || !(char.IsAsciiLetter(Peek) || Peek == '*'))
        {
            throw Error(AtEnd ? "unexpected end of text" : $"unexpected character '{Describe(Peek)}' where a setting name was expected");
        }
        while (!AtEnd && (char.IsAsciiLetterOrDigit(Peek) || Peek is '-' or '_' or '*'))
        {
            _pos++;
        }
        return _text[start.._pos];
    }

    private LibconfigValue ParseValue()
    {
        SkipTrivia();
        if (AtEnd)
        {
            throw Error("unexpected end of text where a value was expected");
        }
        var line = _line;
        switch (Peek)
        {
            case '{':
                _pos++;
                using (Nest())
                {
                    return new LibconfigGroup(ParseSettings('}'), line);
                }
            case '(':
                _pos++;
                using (Nest())
                {
                    return new LibconfigList(ParseItems(')', scalarsOnly: false), line);
                }
            case '[':
                _pos++;
                using (Nest())
                {
                    return new LibconfigArray(ParseItems(']', scalarsOnly: true), line);
                }
            case '"':
                return ParseStrings();
            default:
                return ParseScalarWord(line);
        }
    }

    private List<LibconfigValue> ParseItems(char endChar, bool scalarsOnly)
    {
        var items = new List<LibconfigValue>();
        while (true)
        {
            SkipTrivia();
            if (AtEnd)
            {
                throw Error($"unexpected end of text: missing '{endChar}'");
            }
            if (Peek == endChar)
            {
                _pos++;
                return items;
            }
            var value = ParseValue();
            if (scalarsOnly && value is LibconfigGroup or LibconfigList or LibconfigArray)
            {
                throw Error("an array [ ] may only hold scalar values");
            }
            items.Add(value);
            SkipTrivia();
            if (!AtEnd && Peek == ',')
            {
                _pos++;
            }
            else if (!AtEnd && Peek != endChar)
            {
                throw Error($"expected ',' or '{endChar}' but found '{Describe(Peek)}'");
            }
        }
    }

    private LibconfigString ParseStrings()
    {
        var line = _line;
        var sb = new StringBuilder();
        // Adjacent string literals are joined, as in C: "abc" "def" == "abcdef".
        while (!AtEnd && Peek == '"')
        {
            _pos++;
            while (true)
            {
                if (AtEnd)
                {
                    throw Error("unterminated string");
                }
                var c = _text[_pos++];
                if (c == '"')
                {
                    break;
                }
                if (c == '\n')
                {
                    _line++;
                }
                if (c != '\\')
                {
                    sb.Append(c);
                    continue;
                }
                if (AtEnd)
                {
                    throw Error("unterminated string");
                }
                var e = _text[_pos++];
                switch (e)
                {
                    case '\\': sb.Append('\\'); break;
                    case '"': sb.Append('"'); break;
                    case 'n': sb.Append('\n'); break;
                    case 't': sb.Append('\t'); break;
                    case 'r': sb.Append('\r'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'a': sb.Append('\a'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'v': sb.Append('\v'); break;
                    case 'x':
                        if (_pos + 2 > _text.Length || !byte.TryParse(_text.AsSpan(_pos, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
                        {
                            throw Error("invalid \\x escape in string");
                        }
                        sb.Append((char)hex);
                        _pos += 2;
                        break;
                    default:
                        throw Error($"invalid escape '\\{Describe(e)}' in string");
                }
            }
            SkipTrivia();
        }
        return new LibconfigString(sb.ToString(), line);
    }

    private LibconfigValue ParseScalarWord(int line)
    {
        var start = _pos;
        while (!AtEnd && (char.IsAsciiLetterOrDigit(Peek) || Peek is '+' or '-' or '.' or '_'))
        {
            _pos++;
        }
        var word = _text[start.._pos];
        if (word.Length == 0)
        {
            throw Error($"unexpected character '{Describe(Peek)}' where a value was expected");
        }
        if (word.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            return new LibconfigBoolean(true, line);
        }
        if (word.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            return new LibconfigBoolean(false, line);
        }
        var number = word.EndsWith("LL", StringComparison.OrdinalIgnoreCase) ? word[..^2]
            : word.EndsWith('L') || word.EndsWith('l') ? word[..^1] : word;
        if (number.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            && long.TryParse(number.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
        {
            return new LibconfigInteger(hex, line);
        }
        if (long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return new LibconfigInteger(integer, line);
        }
        if (double.TryParse(word, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real))
        {
            return new LibconfigFloat(real, line);
        }
        throw Error($"'{word}' is not a valid value (strings need double quotes)");
    }

    private void SkipTrivia()
    {
        while (!AtEnd)
        {
            var c = Peek;
            if (c == '\n')
            {
                _line++;
                _pos++;
            }
            else if (char.IsWhiteSpace(c))
            {
                _pos++;
            }
            else if (c == '#' || (c == '/' && _pos + 1 < _text.Length && _text[_pos + 1] == '/'))
            {
                while (!AtEnd && Peek != '\n')
                {
                    _pos++;
                }
            }
            else if (c == '/' && _pos + 1 < _text.Length && _text[_pos + 1] == '*')
            {
                var end = _text.IndexOf("*/", _pos + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    throw Error("unterminated /* comment");
                }
                _line += _text.AsSpan(_pos, end - _pos).Count('\n');
                _pos = end + 2;
            }
            else
            {
                return;
            }
        }
    }

    private DepthScope Nest()
    {
        if (++_depth > MaxDepth)
        {
            throw Error($"nesting deeper than {MaxDepth} levels");
        }
        return new DepthScope(this);
    }

    private readonly struct DepthScope(LibconfigParser parser) : IDisposable
    {
        public void Dispose() => parser._depth--;
    }

    private bool AtEnd => _pos >= _text.Length;
    private char Peek => _text[_pos];

    private static string Describe(char c) => c is >= ' ' and <= '~' ? c.ToString() : $"\\u{(int)c:x4}";

    private SwuFormatException Error(string message) => new($"sw-description line {_line}: {message}.");
}
