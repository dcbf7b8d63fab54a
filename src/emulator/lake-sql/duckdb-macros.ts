/**
 * DuckDB macros, created once when the engine starts, that give Trino's answer where DuckDB's built-in
 * differs. The translator calls them; a query cannot name them (only Trino function names pass).
 */
export const LAKE_MACROS: readonly string[] = [
  // Trino: integer division truncates and dividing by zero fails (try() turns that into NULL).
  `CREATE MACRO lake_divide(a, b) AS CASE WHEN b = 0 THEN error('Division by zero') ELSE a / b END`,
  `CREATE MACRO lake_modulo(a, b) AS CASE WHEN b = 0 THEN error('Division by zero') ELSE a % b END`,
  // Trino prints timestamps with milliseconds: 2026-01-02 10:00:00.000.
  `CREATE MACRO lake_to_varchar(x) AS CASE typeof(x)
     WHEN 'TIMESTAMP' THEN strftime(x::VARCHAR::TIMESTAMP, '%Y-%m-%d %H:%M:%S.%g')
     WHEN 'TIMESTAMP WITH TIME ZONE' THEN strftime(x::VARCHAR::TIMESTAMPTZ, '%Y-%m-%d %H:%M:%S.%g') || ' UTC'
     ELSE x::VARCHAR END`,
  `CREATE MACRO lake_to_iso8601(x) AS CASE typeof(x)
     WHEN 'TIMESTAMP' THEN strftime(x::VARCHAR::TIMESTAMP, '%Y-%m-%dT%H:%M:%S.%g')
     WHEN 'TIMESTAMP WITH TIME ZONE' THEN strftime(x::VARCHAR::TIMESTAMPTZ, '%Y-%m-%dT%H:%M:%S.%g') || 'Z'
     ELSE x::VARCHAR END`,
  // Trino: NULL when the path names an object or an array; DuckDB returns their JSON text.
  `CREATE MACRO lake_json_extract_scalar(j, p) AS
     CASE WHEN json_type(j, p) IN ('OBJECT', 'ARRAY') THEN NULL ELSE json_extract_string(j, p) END`,
  // Trino: NULL for anything but an array; DuckDB: 0.
  `CREATE MACRO lake_json_array_length(j) AS CASE WHEN json_type(j) = 'ARRAY' THEN json_array_length(j) END`,
  `CREATE MACRO lake_json_size(j, p) AS CASE json_type(j, p)
     WHEN 'ARRAY' THEN json_array_length(j, p) WHEN 'OBJECT' THEN len(json_keys(j, p)) WHEN NULL THEN NULL ELSE 0 END`,
  // Trino: NULL past the last field; DuckDB: ''.
  `CREATE MACRO lake_split_part(s, d, i) AS CASE WHEN i <= len(string_split(s, d)) THEN split_part(s, d, i) END`,
  // Trino: start 0 gives ''; DuckDB starts at the first character.
  `CREATE MACRO lake_substr(s, start, n) AS CASE WHEN start = 0 THEN ''
     WHEN n IS NULL THEN substring(s, start) ELSE substring(s, start, n) END`,
  // Trino: NULL when nothing matches; DuckDB: ''.
  `CREATE MACRO lake_regexp_extract(s, p, g) AS CASE WHEN regexp_matches(s, p) THEN regexp_extract(s, p, g) END`,
];
