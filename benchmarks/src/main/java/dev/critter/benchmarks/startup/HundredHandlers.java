package dev.critter.benchmarks.startup;

/**
 * One hundred message types, each with its own no-op handler: the application the start-up
 * benchmark starts with and without Critter. Written by a loop, not by hand; each handler gets
 * its own conventional local queue ({@code m000} ... {@code m099}).
 */
public final class HundredHandlers {

    /** How many message types and handlers this file declares. */
    public static final int COUNT = 100;

    private HundredHandlers() {
    }

    /** @param value any number */
    public record M000(int value) { }

    /** Handles {@link M000}. */
    public static class M000Handler {
        /** @param message the message */
        public void handle(M000 message) { }
    }

    /** @param value any number */
    public record M001(int value) { }

    /** Handles {@link M001}. */
    public static class M001Handler {
        /** @param message the message */
        public void handle(M001 message) { }
    }

    /** @param value any number */
    public record M002(int value) { }

    /** Handles {@link M002}. */
    public static class M002Handler {
        /** @param message the message */
        public void handle(M002 message) { }
    }

    /** @param value any number */
    public record M003(int value) { }

    /** Handles {@link M003}. */
    public static class M003Handler {
        /** @param message the message */
        public void handle(M003 message) { }
    }

    /** @param value any number */
    public record M004(int value) { }

    /** Handles {@link M004}. */
    public static class M004Handler {
        /** @param message the message */
        public void handle(M004 message) { }
    }

    /** @param value any number */
    public record M005(int value) { }

    /** Handles {@link M005}. */
    public static class M005Handler {
        /** @param message the message */
        public void handle(M005 message) { }
    }

    /** @param value any number */
    public record M006(int value) { }

    /** Handles {@link M006}. */
    public static class M006Handler {
        /** @param message the message */
        public void handle(M006 message) { }
    }

    /** @param value any number */
    public record M007(int value) { }

    /** Handles {@link M007}. */
    public static class M007Handler {
        /** @param message the message */
        public void handle(M007 message) { }
    }

    /** @param value any number */
    public record M008(int value) { }

    /** Handles {@link M008}. */
    public static class M008Handler {
        /** @param message the message */
        public void handle(M008 message) { }
    }

    /** @param value any number */
    public record M009(int value) { }

    /** Handles {@link M009}. */
    public static class M009Handler {
        /** @param message the message */
        public void handle(M009 message) { }
    }

    /** @param value any number */
    public record M010(int value) { }

    /** Handles {@link M010}. */
    public static class M010Handler {
        /** @param message the message */
        public void handle(M010 message) { }
    }

    /** @param value any number */
    public record M011(int value) { }

    /** Handles {@link M011}. */
    public static class M011Handler {
        /** @param message the message */
        public void handle(M011 message) { }
    }

    /** @param value any number */
    public record M012(int value) { }

    /** Handles {@link M012}. */
    public static class M012Handler {
        /** @param message the message */
        public void handle(M012 message) { }
    }

    /** @param value any number */
    public record M013(int value) { }

    /** Handles {@link M013}. */
    public static class M013Handler {
        /** @param message the message */
        public void handle(M013 message) { }
    }

    /** @param value any number */
    public record M014(int value) { }

    /** Handles {@link M014}. */
    public static class M014Handler {
        /** @param message the message */
        public void handle(M014 message) { }
    }

    /** @param value any number */
    public record M015(int value) { }

    /** Handles {@link M015}. */
    public static class M015Handler {
        /** @param message the message */
        public void handle(M015 message) { }
    }

    /** @param value any number */
    public record M016(int value) { }

    /** Handles {@link M016}. */
    public static class M016Handler {
        /** @param message the message */
        public void handle(M016 message) { }
    }

    /** @param value any number */
    public record M017(int value) { }

    /** Handles {@link M017}. */
    public static class M017Handler {
        /** @param message the message */
        public void handle(M017 message) { }
    }

    /** @param value any number */
    public record M018(int value) { }

    /** Handles {@link M018}. */
    public static class M018Handler {
        /** @param message the message */
        public void handle(M018 message) { }
    }

    /** @param value any number */
    public record M019(int value) { }

    /** Handles {@link M019}. */
    public static class M019Handler {
        /** @param message the message */
        public void handle(M019 message) { }
    }

    /** @param value any number */
    public record M020(int value) { }

    /** Handles {@link M020}. */
    public static class M020Handler {
        /** @param message the message */
        public void handle(M020 message) { }
    }

    /** @param value any number */
    public record M021(int value) { }

    /** Handles {@link M021}. */
    public static class M021Handler {
        /** @param message the message */
        public void handle(M021 message) { }
    }

    /** @param value any number */
    public record M022(int value) { }

    /** Handles {@link M022}. */
    public static class M022Handler {
        /** @param message the message */
        public void handle(M022 message) { }
    }

    /** @param value any number */
    public record M023(int value) { }

    /** Handles {@link M023}. */
    public static class M023Handler {
        /** @param message the message */
        public void handle(M023 message) { }
    }

    /** @param value any number */
    public record M024(int value) { }

    /** Handles {@link M024}. */
    public static class M024Handler {
        /** @param message the message */
        public void handle(M024 message) { }
    }

    /** @param value any number */
    public record M025(int value) { }

    /** Handles {@link M025}. */
    public static class M025Handler {
        /** @param message the message */
        public void handle(M025 message) { }
    }

    /** @param value any number */
    public record M026(int value) { }

    /** Handles {@link M026}. */
    public static class M026Handler {
        /** @param message the message */
        public void handle(M026 message) { }
    }

    /** @param value any number */
    public record M027(int value) { }

    /** Handles {@link M027}. */
    public static class M027Handler {
        /** @param message the message */
        public void handle(M027 message) { }
    }

    /** @param value any number */
    public record M028(int value) { }

    /** Handles {@link M028}. */
    public static class M028Handler {
        /** @param message the message */
        public void handle(M028 message) { }
    }

    /** @param value any number */
    public record M029(int value) { }

    /** Handles {@link M029}. */
    public static class M029Handler {
        /** @param message the message */
        public void handle(M029 message) { }
    }

    /** @param value any number */
    public record M030(int value) { }

    /** Handles {@link M030}. */
    public static class M030Handler {
        /** @param message the message */
        public void handle(M030 message) { }
    }

    /** @param value any number */
    public record M031(int value) { }

    /** Handles {@link M031}. */
    public static class M031Handler {
        /** @param message the message */
        public void handle(M031 message) { }
    }

    /** @param value any number */
    public record M032(int value) { }

    /** Handles {@link M032}. */
    public static class M032Handler {
        /** @param message the message */
        public void handle(M032 message) { }
    }

    /** @param value any number */
    public record M033(int value) { }

    /** Handles {@link M033}. */
    public static class M033Handler {
        /** @param message the message */
        public void handle(M033 message) { }
    }

    /** @param value any number */
    public record M034(int value) { }

    /** Handles {@link M034}. */
    public static class M034Handler {
        /** @param message the message */
        public void handle(M034 message) { }
    }

    /** @param value any number */
    public record M035(int value) { }

    /** Handles {@link M035}. */
    public static class M035Handler {
        /** @param message the message */
        public void handle(M035 message) { }
    }

    /** @param value any number */
    public record M036(int value) { }

    /** Handles {@link M036}. */
    public static class M036Handler {
        /** @param message the message */
        public void handle(M036 message) { }
    }

    /** @param value any number */
    public record M037(int value) { }

    /** Handles {@link M037}. */
    public static class M037Handler {
        /** @param message the message */
        public void handle(M037 message) { }
    }

    /** @param value any number */
    public record M038(int value) { }

    /** Handles {@link M038}. */
    public static class M038Handler {
        /** @param message the message */
        public void handle(M038 message) { }
    }

    /** @param value any number */
    public record M039(int value) { }

    /** Handles {@link M039}. */
    public static class M039Handler {
        /** @param message the message */
        public void handle(M039 message) { }
    }

    /** @param value any number */
    public record M040(int value) { }

    /** Handles {@link M040}. */
    public static class M040Handler {
        /** @param message the message */
        public void handle(M040 message) { }
    }

    /** @param value any number */
    public record M041(int value) { }

    /** Handles {@link M041}. */
    public static class M041Handler {
        /** @param message the message */
        public void handle(M041 message) { }
    }

    /** @param value any number */
    public record M042(int value) { }

    /** Handles {@link M042}. */
    public static class M042Handler {
        /** @param message the message */
        public void handle(M042 message) { }
    }

    /** @param value any number */
    public record M043(int value) { }

    /** Handles {@link M043}. */
    public static class M043Handler {
        /** @param message the message */
        public void handle(M043 message) { }
    }

    /** @param value any number */
    public record M044(int value) { }

    /** Handles {@link M044}. */
    public static class M044Handler {
        /** @param message the message */
        public void handle(M044 message) { }
    }

    /** @param value any number */
    public record M045(int value) { }

    /** Handles {@link M045}. */
    public static class M045Handler {
        /** @param message the message */
        public void handle(M045 message) { }
    }

    /** @param value any number */
    public record M046(int value) { }

    /** Handles {@link M046}. */
    public static class M046Handler {
        /** @param message the message */
        public void handle(M046 message) { }
    }

    /** @param value any number */
    public record M047(int value) { }

    /** Handles {@link M047}. */
    public static class M047Handler {
        /** @param message the message */
        public void handle(M047 message) { }
    }

    /** @param value any number */
    public record M048(int value) { }

    /** Handles {@link M048}. */
    public static class M048Handler {
        /** @param message the message */
        public void handle(M048 message) { }
    }

    /** @param value any number */
    public record M049(int value) { }

    /** Handles {@link M049}. */
    public static class M049Handler {
        /** @param message the message */
        public void handle(M049 message) { }
    }

    /** @param value any number */
    public record M050(int value) { }

    /** Handles {@link M050}. */
    public static class M050Handler {
        /** @param message the message */
        public void handle(M050 message) { }
    }

    /** @param value any number */
    public record M051(int value) { }

    /** Handles {@link M051}. */
    public static class M051Handler {
        /** @param message the message */
        public void handle(M051 message) { }
    }

    /** @param value any number */
    public record M052(int value) { }

    /** Handles {@link M052}. */
    public static class M052Handler {
        /** @param message the message */
        public void handle(M052 message) { }
    }

    /** @param value any number */
    public record M053(int value) { }

    /** Handles {@link M053}. */
    public static class M053Handler {
        /** @param message the message */
        public void handle(M053 message) { }
    }

    /** @param value any number */
    public record M054(int value) { }

    /** Handles {@link M054}. */
    public static class M054Handler {
        /** @param message the message */
        public void handle(M054 message) { }
    }

    /** @param value any number */
    public record M055(int value) { }

    /** Handles {@link M055}. */
    public static class M055Handler {
        /** @param message the message */
        public void handle(M055 message) { }
    }

    /** @param value any number */
    public record M056(int value) { }

    /** Handles {@link M056}. */
    public static class M056Handler {
        /** @param message the message */
        public void handle(M056 message) { }
    }

    /** @param value any number */
    public record M057(int value) { }

    /** Handles {@link M057}. */
    public static class M057Handler {
        /** @param message the message */
        public void handle(M057 message) { }
    }

    /** @param value any number */
    public record M058(int value) { }

    /** Handles {@link M058}. */
    public static class M058Handler {
        /** @param message the message */
        public void handle(M058 message) { }
    }

    /** @param value any number */
    public record M059(int value) { }

    /** Handles {@link M059}. */
    public static class M059Handler {
        /** @param message the message */
        public void handle(M059 message) { }
    }

    /** @param value any number */
    public record M060(int value) { }

    /** Handles {@link M060}. */
    public static class M060Handler {
        /** @param message the message */
        public void handle(M060 message) { }
    }

    /** @param value any number */
    public record M061(int value) { }

    /** Handles {@link M061}. */
    public static class M061Handler {
        /** @param message the message */
        public void handle(M061 message) { }
    }

    /** @param value any number */
    public record M062(int value) { }

    /** Handles {@link M062}. */
    public static class M062Handler {
        /** @param message the message */
        public void handle(M062 message) { }
    }

    /** @param value any number */
    public record M063(int value) { }

    /** Handles {@link M063}. */
    public static class M063Handler {
        /** @param message the message */
        public void handle(M063 message) { }
    }

    /** @param value any number */
    public record M064(int value) { }

    /** Handles {@link M064}. */
    public static class M064Handler {
        /** @param message the message */
        public void handle(M064 message) { }
    }

    /** @param value any number */
    public record M065(int value) { }

    /** Handles {@link M065}. */
    public static class M065Handler {
        /** @param message the message */
        public void handle(M065 message) { }
    }

    /** @param value any number */
    public record M066(int value) { }

    /** Handles {@link M066}. */
    public static class M066Handler {
        /** @param message the message */
        public void handle(M066 message) { }
    }

    /** @param value any number */
    public record M067(int value) { }

    /** Handles {@link M067}. */
    public static class M067Handler {
        /** @param message the message */
        public void handle(M067 message) { }
    }

    /** @param value any number */
    public record M068(int value) { }

    /** Handles {@link M068}. */
    public static class M068Handler {
        /** @param message the message */
        public void handle(M068 message) { }
    }

    /** @param value any number */
    public record M069(int value) { }

    /** Handles {@link M069}. */
    public static class M069Handler {
        /** @param message the message */
        public void handle(M069 message) { }
    }

    /** @param value any number */
    public record M070(int value) { }

    /** Handles {@link M070}. */
    public static class M070Handler {
        /** @param message the message */
        public void handle(M070 message) { }
    }

    /** @param value any number */
    public record M071(int value) { }

    /** Handles {@link M071}. */
    public static class M071Handler {
        /** @param message the message */
        public void handle(M071 message) { }
    }

    /** @param value any number */
    public record M072(int value) { }

    /** Handles {@link M072}. */
    public static class M072Handler {
        /** @param message the message */
        public void handle(M072 message) { }
    }

    /** @param value any number */
    public record M073(int value) { }

    /** Handles {@link M073}. */
    public static class M073Handler {
        /** @param message the message */
        public void handle(M073 message) { }
    }

    /** @param value any number */
    public record M074(int value) { }

    /** Handles {@link M074}. */
    public static class M074Handler {
        /** @param message the message */
        public void handle(M074 message) { }
    }

    /** @param value any number */
    public record M075(int value) { }

    /** Handles {@link M075}. */
    public static class M075Handler {
        /** @param message the message */
        public void handle(M075 message) { }
    }

    /** @param value any number */
    public record M076(int value) { }

    /** Handles {@link M076}. */
    public static class M076Handler {
        /** @param message the message */
        public void handle(M076 message) { }
    }

    /** @param value any number */
    public record M077(int value) { }

    /** Handles {@link M077}. */
    public static class M077Handler {
        /** @param message the message */
        public void handle(M077 message) { }
    }

    /** @param value any number */
    public record M078(int value) { }

    /** Handles {@link M078}. */
    public static class M078Handler {
        /** @param message the message */
        public void handle(M078 message) { }
    }

    /** @param value any number */
    public record M079(int value) { }

    /** Handles {@link M079}. */
    public static class M079Handler {
        /** @param message the message */
        public void handle(M079 message) { }
    }

    /** @param value any number */
    public record M080(int value) { }

    /** Handles {@link M080}. */
    public static class M080Handler {
        /** @param message the message */
        public void handle(M080 message) { }
    }

    /** @param value any number */
    public record M081(int value) { }

    /** Handles {@link M081}. */
    public static class M081Handler {
        /** @param message the message */
        public void handle(M081 message) { }
    }

    /** @param value any number */
    public record M082(int value) { }

    /** Handles {@link M082}. */
    public static class M082Handler {
        /** @param message the message */
        public void handle(M082 message) { }
    }

    /** @param value any number */
    public record M083(int value) { }

    /** Handles {@link M083}. */
    public static class M083Handler {
        /** @param message the message */
        public void handle(M083 message) { }
    }

    /** @param value any number */
    public record M084(int value) { }

    /** Handles {@link M084}. */
    public static class M084Handler {
        /** @param message the message */
        public void handle(M084 message) { }
    }

    /** @param value any number */
    public record M085(int value) { }

    /** Handles {@link M085}. */
    public static class M085Handler {
        /** @param message the message */
        public void handle(M085 message) { }
    }

    /** @param value any number */
    public record M086(int value) { }

    /** Handles {@link M086}. */
    public static class M086Handler {
        /** @param message the message */
        public void handle(M086 message) { }
    }

    /** @param value any number */
    public record M087(int value) { }

    /** Handles {@link M087}. */
    public static class M087Handler {
        /** @param message the message */
        public void handle(M087 message) { }
    }

    /** @param value any number */
    public record M088(int value) { }

    /** Handles {@link M088}. */
    public static class M088Handler {
        /** @param message the message */
        public void handle(M088 message) { }
    }

    /** @param value any number */
    public record M089(int value) { }

    /** Handles {@link M089}. */
    public static class M089Handler {
        /** @param message the message */
        public void handle(M089 message) { }
    }

    /** @param value any number */
    public record M090(int value) { }

    /** Handles {@link M090}. */
    public static class M090Handler {
        /** @param message the message */
        public void handle(M090 message) { }
    }

    /** @param value any number */
    public record M091(int value) { }

    /** Handles {@link M091}. */
    public static class M091Handler {
        /** @param message the message */
        public void handle(M091 message) { }
    }

    /** @param value any number */
    public record M092(int value) { }

    /** Handles {@link M092}. */
    public static class M092Handler {
        /** @param message the message */
        public void handle(M092 message) { }
    }

    /** @param value any number */
    public record M093(int value) { }

    /** Handles {@link M093}. */
    public static class M093Handler {
        /** @param message the message */
        public void handle(M093 message) { }
    }

    /** @param value any number */
    public record M094(int value) { }

    /** Handles {@link M094}. */
    public static class M094Handler {
        /** @param message the message */
        public void handle(M094 message) { }
    }

    /** @param value any number */
    public record M095(int value) { }

    /** Handles {@link M095}. */
    public static class M095Handler {
        /** @param message the message */
        public void handle(M095 message) { }
    }

    /** @param value any number */
    public record M096(int value) { }

    /** Handles {@link M096}. */
    public static class M096Handler {
        /** @param message the message */
        public void handle(M096 message) { }
    }

    /** @param value any number */
    public record M097(int value) { }

    /** Handles {@link M097}. */
    public static class M097Handler {
        /** @param message the message */
        public void handle(M097 message) { }
    }

    /** @param value any number */
    public record M098(int value) { }

    /** Handles {@link M098}. */
    public static class M098Handler {
        /** @param message the message */
        public void handle(M098 message) { }
    }

    /** @param value any number */
    public record M099(int value) { }

    /** Handles {@link M099}. */
    public static class M099Handler {
        /** @param message the message */
        public void handle(M099 message) { }
    }
}
