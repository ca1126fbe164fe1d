package org.counterweight.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.common.loader.Source;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class CachingMinibatchLoaderTest {
    @TempDir
    Path dir;

    /** Writes a 4×3 float minibatch whose features are all {@code value}; returns its path. */
    private String write(String name, float value) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        DataSet ds = new DataSet(Nd4j.valueArrayOf(new long[] {4, 3}, value, DataType.FLOAT),
                Nd4j.zeros(DataType.FLOAT, 4, 2));
        try (OutputStream out = Files.newOutputStream(p)) {
            ds.save(out);
        }
        return p.toString();
    }

    private static Source source(String path) {
        return new Source() {
            @Override
            public InputStream getInputStream() throws IOException {
                return Files.newInputStream(Path.of(path));
            }

            @Override
            public String getPath() {
                return path;
            }
        };
    }

    @Test
    void keepsFilesUnderThePrefixAndRereadsOthers() throws IOException {
        String prefix = dir.resolve("static-a").toString() + "/";
        String cached = write("static-a/part-0", 1f);
        String other = write("draw-0/part-0", 2f);
        CachingMinibatchLoader loader = new CachingMinibatchLoader(prefix, 1 << 20);

        DataSet first = loader.load(source(cached));
        assertEquals(1f, first.getFeatures().getFloat(3, 2));
        Files.delete(Path.of(cached)); // a second read would now fail: the cache must answer
        assertSame(first, loader.load(source(cached)));

        DataSet a = loader.load(source(other));
        DataSet b = loader.load(source(other));
        assertNotSame(a, b);
        assertEquals(2f, b.getFeatures().getFloat(0, 0));
    }

    @Test
    void evictsTheLeastRecentlyUsedBeyondTheBudget() throws IOException {
        String prefix = dir.resolve("static-b").toString() + "/";
        String p0 = write("static-b/part-0", 0f);
        String p1 = write("static-b/part-1", 1f);
        String p2 = write("static-b/part-2", 2f);
        long one = CachingMinibatchLoader.sizeOf(new CachingMinibatchLoader(prefix, 1 << 20).load(source(p0)));
        assertEquals((4 * 3 + 4 * 2) * 4, one);
        // Room for two minibatches (p0 is already held by the shared per-JVM store).
        CachingMinibatchLoader loader = new CachingMinibatchLoader(prefix, 2 * one);
        DataSet d0 = loader.load(source(p0));
        DataSet d1 = loader.load(source(p1));
        assertSame(d0, loader.load(source(p0))); // p0 now most recently used
        loader.load(source(p2));                 // evicts p1
        assertSame(d0, loader.load(source(p0)));
        assertNotSame(d1, loader.load(source(p1)));
    }

    @Test
    void zeroBudgetReadsEveryTime() throws IOException {
        String prefix = dir.resolve("static-c").toString() + "/";
        String p = write("static-c/part-0", 3f);
        CachingMinibatchLoader loader = new CachingMinibatchLoader(prefix, 0);
        assertNotSame(loader.load(source(p)), loader.load(source(p)));
    }
}
