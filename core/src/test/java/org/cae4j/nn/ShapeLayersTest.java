package org.cae4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Flatten, Unflatten, ZeroPad2d and Crop2d: shapes, values by hand, and their errors. */
class ShapeLayersTest {

    @Test
    void flattenAndUnflattenAreInverseViews() {
        Tensor x = new Tensor(2, 32, 7, 7);
        for (int i = 0; i < x.size(); i++) x.data[i] = i;
        Flatten flatten = new Flatten();
        Tensor f = flatten.forward(x);
        assertArrayEquals(new int[] {2, 1568}, f.shape());
        assertSame(x.data, f.data, "a view, as PyTorch's flatten of a contiguous tensor");
        Unflatten unflatten = new Unflatten(1, 32, 7, 7);
        Tensor u = unflatten.forward(f);
        assertArrayEquals(x.shape(), u.shape());
        assertArrayEquals(new int[] {2, 1568}, unflatten.backward(u).shape());
        assertArrayEquals(new int[] {2, 32, 7, 7}, flatten.backward(f).shape());
        assertArrayEquals(new int[] {32, 49}, new Flatten(2, 3).outputShape(new int[] {32, 7, 7}));
        assertArrayEquals(new int[] {1568}, flatten.outputShape(new int[] {32, 7, 7}));
        assertArrayEquals(new int[] {4, 8, 3}, new Unflatten(-1, 8, 3).outputShape(new int[] {4, 24}));
    }

    @Test
    void unflattenRejectsASizeThatDoesNotMultiplyOut() {
        Unflatten u = new Unflatten(1, 32, 7, 7);
        assertEquals("Unflatten(dim=1, sizes=[32, 7, 7])", u.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> u.forward(new Tensor(2, 1500)));
        assertEquals("Unflatten(dim=1, sizes=[32, 7, 7]): expected dimension 1 of size 1568, got input [2, 1500]",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Unflatten(0, 4));
        assertThrows(IllegalArgumentException.class, () -> new Flatten(0, -1));
        assertThrows(IllegalStateException.class, () -> new Flatten().backward(new Tensor(1, 4)));
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class,
                () -> new Flatten(3, -1).forward(new Tensor(2, 5)));
        assertTrue(f.getMessage().startsWith("Flatten(start_dim=3, end_dim=-1)") && f.getMessage().contains("[2, 5]"),
                f.getMessage());
    }

    @Test
    void zeroPadMatchesHandComputed() {
        ZeroPad2d pad = new ZeroPad2d(1, 0, 0, 1);
        Tensor y = pad.forward(new Tensor(new float[] {1, 2, 3, 4}, 1, 1, 2, 2));
        assertArrayEquals(new int[] {1, 1, 3, 3}, y.shape());
        assertArrayEquals(new float[] {
                0, 1, 2,
                0, 3, 4,
                0, 0, 0}, y.data);
        Tensor dy = new Tensor(1, 1, 3, 3);
        for (int i = 0; i < 9; i++) dy.data[i] = i + 1;
        assertArrayEquals(new float[] {2, 3, 5, 6}, pad.backward(dy).data);
        assertArrayEquals(new int[] {1, 32, 32}, new ZeroPad2d(2).outputShape(new int[] {1, 28, 28}));
    }

    @Test
    void cropIsZeroPadTurnedAround() {
        Tensor x = new Tensor(1, 1, 3, 3);
        for (int i = 0; i < 9; i++) x.data[i] = i + 1;
        Crop2d crop = new Crop2d(1, 0, 0, 1);
        assertEquals("Crop2d(1, 0, 0, 1)", crop.toString());
        Tensor y = crop.forward(x);
        assertArrayEquals(new float[] {2, 3, 5, 6}, y.data);
        assertArrayEquals(new float[] {
                0, 1, 2,
                0, 3, 4,
                0, 0, 0}, crop.backward(new Tensor(new float[] {1, 2, 3, 4}, 1, 1, 2, 2)).data);
        assertArrayEquals(new int[] {1, 28, 28}, new Crop2d(2).outputShape(new int[] {1, 32, 32}));
        // negative ZeroPad2d amounts crop, as in PyTorch
        assertArrayEquals(y.data, new ZeroPad2d(-1, 0, 0, -1).forward(x).data);
    }

    @Test
    void cropAndPadRejectBadAmountsAndShapesNamingThem() {
        IllegalArgumentException neg = assertThrows(IllegalArgumentException.class, () -> new Crop2d(-1, 0, 0, 0));
        assertTrue(neg.getMessage().contains("left=-1"), neg.getMessage());
        IllegalArgumentException tooMuch = assertThrows(IllegalArgumentException.class,
                () -> new Crop2d(2).forward(new Tensor(1, 1, 4, 4)));
        assertEquals("Crop2d(2, 2, 2, 2): input [N, 1, 4, 4] would become 0x0", tooMuch.getMessage());
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
                () -> new ZeroPad2d(1).forward(new Tensor(3, 4)));
        assertEquals("ZeroPad2d(1, 1, 1, 1): expected input (N, C, H, W), got [3, 4]", rank.getMessage());
        assertThrows(IllegalStateException.class, () -> new ZeroPad2d(1).backward(new Tensor(1, 1, 3, 3)));
    }

    @Test
    void aKerasStyleAutoencoderFitsTogether() {
        // conv features 32×7×7 → code of 10 → back to 32×7×7 → upsample to 28×28, every shape checked up front
        Rng rng = new Rng(0);
        Sequential s = new Sequential(new MaxPool2d(2, 2, 0, true), new Flatten(), new Linear(32 * 7 * 7, 10, rng),
                new Linear(10, 32 * 7 * 7, rng), new Unflatten(1, 32, 7, 7), new Upsample(2), new Upsample(2));
        assertArrayEquals(new int[] {32, 28, 28}, s.outputShape(new int[] {32, 13, 13}));
    }
}
