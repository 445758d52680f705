package org.cae4j.model;

import java.util.Map;
import org.cae4j.loss.LossAndGrad;
import org.cae4j.loss.MseLoss;
import org.cae4j.nn.Parameter;
import org.cae4j.ops.Parallel;
import org.cae4j.optim.Adam;
import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;
import org.cae4j.testing.Check;
import org.cae4j.testing.Golden;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Twenty Adam steps of a tiny seed CAE from PyTorch's initial weights give PyTorch's losses and final weights
 * (seed_cae_adam.golden, written by scripts/golden/make_golden.py).
 */
class SeedCaeAdamGoldenTest {

    @ParameterizedTest(name = "{0}channels={1} threads={2}")
    @CsvSource({"'',1,1", "'',1,2", "rgb.,3,1", "rgb.,3,2"})
    void twentyAdamStepsMatchPyTorch(String prefix, int channels, int threads) {
        Map<String, Tensor> g = Golden.read("golden/seed_cae_adam.golden");
        int saved = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            Tensor x = g.get(prefix + "x");
            Autoencoder ae = SeedCae.build(SeedCae.Config.defaults(channels, x.dim(2), x.dim(3)).withFilters(4).withKernel(3),
                    new Rng(0));
            Map<String, Parameter> p = ae.namedParameters();
            String[][] names = {{"0.weight", "enc.weight"}, {"0.bias", "enc.bias"}, {"2.weight", "dec.weight"}, {"2.bias", "dec.bias"}};
            for (String[] n : names) {
                float[] src = g.get(prefix + n[1]).data, dst = p.get(n[0]).value.data;
                System.arraycopy(src, 0, dst, 0, dst.length);
            }
            float[] a = g.get(prefix + "adam").data; // lr, beta1, beta2, eps, steps
            Adam adam = new Adam(ae.parameters(), a[0], a[1], a[2], a[3], 0, false, false);
            MseLoss mse = new MseLoss();
            int steps = (int) a[4];
            float[] losses = new float[steps];
            for (int s = 0; s < steps; s++) {
                adam.zeroGrad();
                LossAndGrad lg = mse.forward(ae.forward(x), x);
                losses[s] = (float) lg.value();
                ae.backward(lg.grad());
                adam.step();
            }
            Check.assertClose(prefix + "losses", g.get(prefix + "losses").data, losses, 1e-5);
            for (String[] n : names) {
                Check.assertClose(prefix + "final " + n[1], g.get(prefix + "final." + n[1]).data, p.get(n[0]).value.data, 1e-5);
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

}
