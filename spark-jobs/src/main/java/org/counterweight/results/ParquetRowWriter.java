package org.counterweight.results;

import java.io.IOException;
import java.sql.Timestamp;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Writes a handful of rows to one Parquet file directly with parquet-hadoop, which Spark reads
 * back with the same schema. The results store writes a few dozen rows per cell; a Spark job per
 * table would cost far more than the data (scheduling, commit protocol), so this skips Spark.
 * Supports the column types the store uses: string, double, long, int and timestamp (stored as
 * UTC microseconds, Spark's own Parquet encoding).
 */
final class ParquetRowWriter {
    private ParquetRowWriter() {
    }

    /** Writes {@code rows} (values in {@code schema} order) to the new file {@code file}. */
    static void write(Configuration conf, Path file, StructType schema, List<Row> rows) throws IOException {
        MessageType type = messageType(schema);
        SimpleGroupFactory groups = new SimpleGroupFactory(type);
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(HadoopOutputFile.fromPath(file, conf))
                .withConf(conf).withType(type).withCompressionCodec(CompressionCodecName.SNAPPY)
                .withWriteMode(ParquetFileWriter.Mode.CREATE).build()) {
            StructField[] fields = schema.fields();
            for (Row row : rows) {
                Group g = groups.newGroup();
                for (int i = 0; i < fields.length; i++) {
                    if (row.isNullAt(i)) {
                        if (!fields[i].nullable()) {
                            throw new IllegalArgumentException("column " + fields[i].name() + " must not be null");
                        }
                        continue;
                    }
                    append(g, fields[i], row.get(i));
                }
                writer.write(g);
            }
        }
    }

    private static void append(Group g, StructField f, Object v) {
        DataType t = f.dataType();
        if (t.equals(DataTypes.StringType)) {
            g.append(f.name(), (String) v);
        } else if (t.equals(DataTypes.DoubleType)) {
            g.append(f.name(), ((Number) v).doubleValue());
        } else if (t.equals(DataTypes.LongType)) {
            g.append(f.name(), ((Number) v).longValue());
        } else if (t.equals(DataTypes.IntegerType)) {
            g.append(f.name(), ((Number) v).intValue());
        } else if (t.equals(DataTypes.TimestampType)) {
            Timestamp ts = (Timestamp) v;
            g.append(f.name(), ts.getTime() / 1000 * 1_000_000L + ts.getNanos() / 1000);
        } else {
            throw new IllegalArgumentException("unsupported column type " + t.simpleString() + " of " + f.name());
        }
    }

    private static MessageType messageType(StructType schema) {
        Types.MessageTypeBuilder b = Types.buildMessage();
        for (StructField f : schema.fields()) {
            Type.Repetition rep = f.nullable() ? Type.Repetition.OPTIONAL : Type.Repetition.REQUIRED;
            DataType t = f.dataType();
            if (t.equals(DataTypes.StringType)) {
                b.addField(Types.primitive(PrimitiveTypeName.BINARY, rep).as(LogicalTypeAnnotation.stringType()).named(f.name()));
            } else if (t.equals(DataTypes.DoubleType)) {
                b.addField(Types.primitive(PrimitiveTypeName.DOUBLE, rep).named(f.name()));
            } else if (t.equals(DataTypes.LongType)) {
                b.addField(Types.primitive(PrimitiveTypeName.INT64, rep).named(f.name()));
            } else if (t.equals(DataTypes.IntegerType)) {
                b.addField(Types.primitive(PrimitiveTypeName.INT32, rep).named(f.name()));
            } else if (t.equals(DataTypes.TimestampType)) {
                b.addField(Types.primitive(PrimitiveTypeName.INT64, rep)
                        .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS)).named(f.name()));
            } else {
                throw new IllegalArgumentException("unsupported column type " + t.simpleString() + " of " + f.name());
            }
        }
        return b.named("spark_schema");
    }
}
