package dev.handoff.marketo;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.RuntimeJsonMappingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Reads a bulk export file (RFC 4180 CSV with a header row: quoted fields, doubled quotes, commas
 * and line breaks inside quotes, UTF-8) one row at a time, as column name → value. Nothing but the
 * current row is held, so a file of any length streams through in constant memory. An empty field
 * is an empty string; a row shorter than the header lacks the missing columns; extra trailing
 * columns are ignored.
 */
public final class BulkCsvReader implements Iterator<Map<String, String>>, Closeable {

    private static final CsvMapper MAPPER = CsvMapper.builder()
            .enable(CsvParser.Feature.IGNORE_TRAILING_UNMAPPABLE)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
            .build();

    private final Reader reader;
    private final MappingIterator<Map<String, String>> rows;
    private long read;

    public BulkCsvReader(InputStream in) {
        java.io.PushbackInputStream source = new java.io.PushbackInputStream(in, 1);
        this.reader = new InputStreamReader(source, StandardCharsets.UTF_8);
        try {
            int first = source.read();
            if (first < 0) {
                // Not even a header: an empty file has no rows.
                this.rows = MappingIterator.emptyIterator();
                return;
            }
            source.unread(first);
            this.rows = MAPPER.readerForMapOf(String.class).with(CsvSchema.emptySchema().withHeader()).readValues(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the export file's header: " + e.getMessage(), e);
        }
    }

    /** @throws UncheckedIOException when the file cannot be read on (a broken download, malformed CSV) */
    @Override
    public boolean hasNext() {
        try {
            return rows.hasNextValue();
        } catch (IOException e) {
            throw new UncheckedIOException("export file unreadable after row " + read + ": " + e.getMessage(), e);
        } catch (RuntimeJsonMappingException e) {
            throw new UncheckedIOException("export file unreadable after row " + read + ": " + e.getMessage(),
                    new IOException(e));
        }
    }

    @Override
    public Map<String, String> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        try {
            Map<String, String> row = rows.nextValue();
            read++;
            return row;
        } catch (IOException e) {
            throw new UncheckedIOException("export file unreadable at row " + (read + 1) + ": " + e.getMessage(), e);
        }
    }

    /** Rows returned so far. */
    public long rowsRead() {
        return read;
    }

    @Override
    public void close() throws IOException {
        rows.close();
        reader.close();
    }
}
