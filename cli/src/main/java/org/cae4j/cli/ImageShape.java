package org.cae4j.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cae4j.data.ImageFolder;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --resize HxW}, {@code --crop} and {@code --channels 1|3}: the image shape options of {@code train} and of
 * every command that reads data. An image folder is resized and converted image by image as it is decoded; any
 * other data (IDX, CIFAR, NumPy) after it is read, with the same bilinear resize. {@code train} stores what was
 * given in the model file ({@code resize}, {@code crop}, {@code channels}) and in run.json, and the other commands
 * apply the stored settings unless given their own.
 */
final class ImageShape {
    /** Metadata keys of the settings a model was trained with. */
    static final String RESIZE = "resize", CROP = "crop", CHANNELS = "channels";
    /** The largest size accepted, as for a model's input shape. */
    static final int MAX_SIZE = 1 << 15;
    private static final Pattern HXW = Pattern.compile("\\s*(\\d{1,9})\\s*[xX]\\s*(\\d{1,9})\\s*");

    @Option(names = "--resize", paramLabel = "HxW", description = "Resize every image to HxW (bilinear; image folders "
            + "image by image as they are read, so they may differ in size). With a trained model, default: the size it "
            + "was trained with.")
    String resize;

    @Option(names = "--crop", description = "With --resize: scale each image to cover HxW and cut out the centre "
            + "(torchvision's Resize + CenterCrop) instead of stretching it.")
    boolean crop;

    @Option(names = "--channels", paramLabel = "C", description = "1 (grey) or 3 (RGB): convert the images (RGB to grey by "
            + "the ITU-R 601-2 luma, grey to RGB by repeating). Default: as they are (an image folder is grey when every "
            + "image is); with a trained model, as it was trained (an image folder: the model's input channels).")
    Integer channels;

    /**
     * The checked settings.
     *
     * @param channels 1, 3, or 0 for no conversion
     * @param height   target height, or 0 for no resizing
     * @param width    target width, or 0 with height 0
     * @param crop     scale to cover and centre-crop instead of stretching
     */
    record Settings(int channels, int height, int width, boolean crop) {
        static final Settings NONE = new Settings(0, 0, 0, false);

        boolean resizes() { return height > 0; }

        /** {@code resize=HxW}, {@code crop=true} and {@code channels=C}, for the settings given. */
        Map<String, String> toMetadata() {
            Map<String, String> m = new LinkedHashMap<>();
            if (resizes()) m.put(RESIZE, height + "x" + width);
            if (crop) m.put(CROP, "true");
            if (channels > 0) m.put(CHANNELS, Integer.toString(channels));
            return m;
        }

        /** The image-folder options: these settings, with {@code defaultChannels} when no channels are set. */
        ImageFolder.Options folderOptions(int defaultChannels) {
            return new ImageFolder.Options(channels > 0 ? channels : defaultChannels, height, width, crop);
        }

        @Override
        public String toString() {
            String s = (resizes() ? "resized to " + height + "x" + width + (crop ? " (centre-cropped)" : "") : "")
                    + (channels > 0 ? (resizes() ? ", " : "") + (channels == 1 ? "grey" : "RGB") : "");
            return s.isEmpty() ? "as read" : s;
        }
    }

    /** The options checked: a usage error naming the option for a bad value. */
    Settings parse(CommandLine cl) {
        int h = 0, w = 0;
        if (resize != null) {
            int[] hw = size(resize);
            if (hw == null) {
                throw new CommandLine.ParameterException(cl, "invalid value for --resize: '" + org.cae4j.io.Json.printable(resize)
                        + "' (expected HxW, two sizes from 1 to " + MAX_SIZE + ", e.g. 64x64)");
            }
            h = hw[0];
            w = hw[1];
        }
        if (crop && resize == null) throw new CommandLine.ParameterException(cl, "--crop needs --resize (the size to crop to)");
        if (channels != null && channels != 1 && channels != 3) {
            throw new CommandLine.ParameterException(cl, "invalid value for --channels: " + channels + " (expected 1 (grey) or 3 (RGB))");
        }
        return new Settings(channels == null ? 0 : channels, h, w, crop);
    }

    /**
     * The settings for a trained model: each option given on the command line, else what the model was trained
     * with ({@code given} comes from {@link #parse}).
     *
     * @throws IllegalArgumentException naming the model file and the key when a stored value is malformed
     */
    static Settings forModel(Settings given, Map<String, String> meta, String modelName) {
        int h = given.height, w = given.width, c = given.channels;
        boolean cropped = given.crop;
        if (!given.resizes() && meta.containsKey(RESIZE)) {
            int[] hw = size(meta.get(RESIZE));
            if (hw == null) throw stored(modelName, RESIZE, meta.get(RESIZE), "HxW such as 64x64");
            h = hw[0];
            w = hw[1];
            String cr = meta.getOrDefault(CROP, "false");
            if (!cr.equals("true") && !cr.equals("false")) throw stored(modelName, CROP, cr, "true or false");
            cropped = cr.equals("true");
        }
        if (c == 0 && meta.containsKey(CHANNELS)) {
            String v = meta.get(CHANNELS);
            if (!v.equals("1") && !v.equals("3")) throw stored(modelName, CHANNELS, v, "1 or 3");
            c = Integer.parseInt(v);
        }
        return new Settings(c, h, w, cropped);
    }

    private static IllegalArgumentException stored(String modelName, String key, String value, String expected) {
        return new IllegalArgumentException(modelName + ": metadata '" + key + "' is '" + org.cae4j.io.Json.printable(value)
                + "', expected " + expected);
    }

    /** {@code HxW} with both sizes in 1..MAX_SIZE, or null. */
    static int[] size(String text) {
        Matcher m = HXW.matcher(text);
        if (!m.matches()) return null;
        int h = Integer.parseInt(m.group(1)), w = Integer.parseInt(m.group(2));
        if (h < 1 || w < 1 || h > MAX_SIZE || w > MAX_SIZE) return null;
        return new int[] {h, w};
    }
}
