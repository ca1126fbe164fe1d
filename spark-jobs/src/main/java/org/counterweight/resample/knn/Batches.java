package org.counterweight.resample.knn;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

/** Maps a partition's iterator batch by batch, lazily: a task never holds a whole partition. */
final class Batches {
    private Batches() {
    }

    /** {@code f} applied to consecutive batches of up to {@code size} elements of {@code in}, concatenated. */
    static <A, B> Iterator<B> map(Iterator<A> in, int size, Function<List<A>, List<B>> f) {
        return new Iterator<>() {
            private List<B> pending = List.of();
            private int next;

            @Override
            public boolean hasNext() {
                while (next == pending.size()) {
                    if (!in.hasNext()) {
                        return false;
                    }
                    List<A> batch = new ArrayList<>(size);
                    while (batch.size() < size && in.hasNext()) {
                        batch.add(in.next());
                    }
                    pending = f.apply(batch);
                    next = 0;
                }
                return true;
            }

            @Override
            public B next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return pending.get(next++);
            }
        };
    }
}
