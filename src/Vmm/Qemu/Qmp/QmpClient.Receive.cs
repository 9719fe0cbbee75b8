using System.Buffers;

namespace Sealpod.Vmm.Qemu.Qmp;

/// <summary>The receive side: one loop reads lines and dispatches replies by id and events to the channel.</summary>
public sealed partial class QmpClient
{
    private async Task ReceiveLoopAsync()
    {
        // Let ConnectAsync return to its caller before the first read.
        await Task.Yield();
        Exception? failure = null;
        try
        {
            while (true)
            {
                var result = await _reader.ReadAsync(_stopReceiving.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                while (TryReadLine(ref buffer, out var line))
                {
                    Dispatch(line);
                }

                if (buffer.Length > MaxMessageBytes)
                {
                    throw new InvalidDataException($"QMP message exceeds {MaxMessageBytes} bytes without a line end");
                }

                _reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (_stopReceiving.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            failure = ex;
        }
        finally
        {
            Close(failure ?? new EndOfStreamException("QEMU closed the QMP connection"));
        }
    }

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var newline = buffer.PositionOf((byte)'\n');
        if (newline is null)
        {
            line = default;
            return false;
        }

        line = buffer.Slice(0, newline.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));
        return true;
    }

    private void Dispatch(ReadOnlySequence<byte> line)
    {
        if (IsBlank(line))
        {
            return;
        }

        var reader = new Utf8JsonReader(line);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"QMP message is not a JSON object: {root.ValueKind}");
        }

        if (root.TryGetProperty("event", out var eventName))
        {
            DispatchEvent(root, eventName.GetString() ?? string.Empty);
        }
        else if (root.TryGetProperty("return", out var returned))
        {
            Complete(root, pending => pending.Reply.TrySetResult(returned.Clone()));
        }
        else if (root.TryGetProperty("error", out var error))
        {
            var errorClass = error.TryGetProperty("class", out var c) ? c.GetString() ?? string.Empty : string.Empty;
            var description = error.TryGetProperty("desc", out var d) ? d.GetString() ?? string.Empty : string.Empty;
            Complete(root, pending => pending.Reply.TrySetException(new QmpException(pending.Command, errorClass, description)));
        }
        else if (root.TryGetProperty("QMP", out var greeting))
        {
            var parsed = greeting.Deserialize(QmpJsonContext.Default.QmpGreeting)
                ?? throw new InvalidDataException("QMP greeting is null");

            // "required" only asks for the member to be there; a JSON null would reach ConnectAsync's log line.
            if (parsed.Version?.Qemu is null || parsed.Capabilities is null || parsed.Capabilities.Any(c => c is null))
            {
                throw new InvalidDataException($"QMP greeting lacks version.qemu or a capabilities list of strings: {greeting.GetRawText()}");
            }
            _greeting.TrySetResult(parsed);
        }
        else
        {
            LogUnknownMessage(_logger, root.GetRawText());
        }
    }

    private void DispatchEvent(JsonElement root, string name)
    {
        var data = root.TryGetProperty("data", out var d) ? d.Clone() : default;
        var timestamp = DateTimeOffset.UnixEpoch;
        if (root.TryGetProperty("timestamp", out var ts)
            && ts.TryGetProperty("seconds", out var seconds)
            && ts.TryGetProperty("microseconds", out var micros))
        {
            timestamp = DateTimeOffset.FromUnixTimeSeconds(seconds.GetInt64()).AddTicks(micros.GetInt64() * 10);
        }

        LogEvent(_logger, name);
        _events.Writer.TryWrite(new QmpEvent(name, data, timestamp));
    }

    private void Complete(JsonElement root, Action<PendingCommand> complete)
    {
        // Replies without our numeric id answer something we never sent (QEMU reports JSON
        // syntax errors that way); there is nobody to give them to.
        if (root.TryGetProperty("id", out var idElement)
            && idElement.ValueKind == JsonValueKind.Number
            && idElement.TryGetInt64(out var id)
            && _pending.TryRemove(id, out var pending))
        {
            complete(pending);
            return;
        }

        LogUnmatchedReply(_logger, root.GetRawText());
    }

    private static bool IsBlank(ReadOnlySequence<byte> line)
    {
        foreach (var segment in line)
        {
            foreach (var b in segment.Span)
            {
                if (b is not ((byte)' ' or (byte)'\r' or (byte)'\t'))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
