package dev.critter.benchmarks.listeners;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The same hundred no-op handlers as {@code HundredHandlers}, written the way Spring alone offers:
 * each a {@code @Component} with an {@code @EventListener} method for its own event type. The
 * start-up benchmark starts an application holding them without Critter, as a yardstick for
 * what Critter adds: what an application pays for a hundred handlers with no framework beside
 * Spring. Written by a loop, not by hand.
 */
public final class HundredListeners {

    /** How many event types and listeners this file declares. */
    public static final int COUNT = 100;

    private HundredListeners() {
    }

    /** @param value any number */
    public record E000(int value) { }

    /** Listens to {@link E000}. */
    @Component
    public static class E000Listener {
        /** @param event the event */
        @EventListener
        public void on(E000 event) { }
    }

    /** @param value any number */
    public record E001(int value) { }

    /** Listens to {@link E001}. */
    @Component
    public static class E001Listener {
        /** @param event the event */
        @EventListener
        public void on(E001 event) { }
    }

    /** @param value any number */
    public record E002(int value) { }

    /** Listens to {@link E002}. */
    @Component
    public static class E002Listener {
        /** @param event the event */
        @EventListener
        public void on(E002 event) { }
    }

    /** @param value any number */
    public record E003(int value) { }

    /** Listens to {@link E003}. */
    @Component
    public static class E003Listener {
        /** @param event the event */
        @EventListener
        public void on(E003 event) { }
    }

    /** @param value any number */
    public record E004(int value) { }

    /** Listens to {@link E004}. */
    @Component
    public static class E004Listener {
        /** @param event the event */
        @EventListener
        public void on(E004 event) { }
    }

    /** @param value any number */
    public record E005(int value) { }

    /** Listens to {@link E005}. */
    @Component
    public static class E005Listener {
        /** @param event the event */
        @EventListener
        public void on(E005 event) { }
    }

    /** @param value any number */
    public record E006(int value) { }

    /** Listens to {@link E006}. */
    @Component
    public static class E006Listener {
        /** @param event the event */
        @EventListener
        public void on(E006 event) { }
    }

    /** @param value any number */
    public record E007(int value) { }

    /** Listens to {@link E007}. */
    @Component
    public static class E007Listener {
        /** @param event the event */
        @EventListener
        public void on(E007 event) { }
    }

    /** @param value any number */
    public record E008(int value) { }

    /** Listens to {@link E008}. */
    @Component
    public static class E008Listener {
        /** @param event the event */
        @EventListener
        public void on(E008 event) { }
    }

    /** @param value any number */
    public record E009(int value) { }

    /** Listens to {@link E009}. */
    @Component
    public static class E009Listener {
        /** @param event the event */
        @EventListener
        public void on(E009 event) { }
    }

    /** @param value any number */
    public record E010(int value) { }

    /** Listens to {@link E010}. */
    @Component
    public static class E010Listener {
        /** @param event the event */
        @EventListener
        public void on(E010 event) { }
    }

    /** @param value any number */
    public record E011(int value) { }

    /** Listens to {@link E011}. */
    @Component
    public static class E011Listener {
        /** @param event the event */
        @EventListener
        public void on(E011 event) { }
    }

    /** @param value any number */
    public record E012(int value) { }

    /** Listens to {@link E012}. */
    @Component
    public static class E012Listener {
        /** @param event the event */
        @EventListener
        public void on(E012 event) { }
    }

    /** @param value any number */
    public record E013(int value) { }

    /** Listens to {@link E013}. */
    @Component
    public static class E013Listener {
        /** @param event the event */
        @EventListener
        public void on(E013 event) { }
    }

    /** @param value any number */
    public record E014(int value) { }

    /** Listens to {@link E014}. */
    @Component
    public static class E014Listener {
        /** @param event the event */
        @EventListener
        public void on(E014 event) { }
    }

    /** @param value any number */
    public record E015(int value) { }

    /** Listens to {@link E015}. */
    @Component
    public static class E015Listener {
        /** @param event the event */
        @EventListener
        public void on(E015 event) { }
    }

    /** @param value any number */
    public record E016(int value) { }

    /** Listens to {@link E016}. */
    @Component
    public static class E016Listener {
        /** @param event the event */
        @EventListener
        public void on(E016 event) { }
    }

    /** @param value any number */
    public record E017(int value) { }

    /** Listens to {@link E017}. */
    @Component
    public static class E017Listener {
        /** @param event the event */
        @EventListener
        public void on(E017 event) { }
    }

    /** @param value any number */
    public record E018(int value) { }

    /** Listens to {@link E018}. */
    @Component
    public static class E018Listener {
        /** @param event the event */
        @EventListener
        public void on(E018 event) { }
    }

    /** @param value any number */
    public record E019(int value) { }

    /** Listens to {@link E019}. */
    @Component
    public static class E019Listener {
        /** @param event the event */
        @EventListener
        public void on(E019 event) { }
    }

    /** @param value any number */
    public record E020(int value) { }

    /** Listens to {@link E020}. */
    @Component
    public static class E020Listener {
        /** @param event the event */
        @EventListener
        public void on(E020 event) { }
    }

    /** @param value any number */
    public record E021(int value) { }

    /** Listens to {@link E021}. */
    @Component
    public static class E021Listener {
        /** @param event the event */
        @EventListener
        public void on(E021 event) { }
    }

    /** @param value any number */
    public record E022(int value) { }

    /** Listens to {@link E022}. */
    @Component
    public static class E022Listener {
        /** @param event the event */
        @EventListener
        public void on(E022 event) { }
    }

    /** @param value any number */
    public record E023(int value) { }

    /** Listens to {@link E023}. */
    @Component
    public static class E023Listener {
        /** @param event the event */
        @EventListener
        public void on(E023 event) { }
    }

    /** @param value any number */
    public record E024(int value) { }

    /** Listens to {@link E024}. */
    @Component
    public static class E024Listener {
        /** @param event the event */
        @EventListener
        public void on(E024 event) { }
    }

    /** @param value any number */
    public record E025(int value) { }

    /** Listens to {@link E025}. */
    @Component
    public static class E025Listener {
        /** @param event the event */
        @EventListener
        public void on(E025 event) { }
    }

    /** @param value any number */
    public record E026(int value) { }

    /** Listens to {@link E026}. */
    @Component
    public static class E026Listener {
        /** @param event the event */
        @EventListener
        public void on(E026 event) { }
    }

    /** @param value any number */
    public record E027(int value) { }

    /** Listens to {@link E027}. */
    @Component
    public static class E027Listener {
        /** @param event the event */
        @EventListener
        public void on(E027 event) { }
    }

    /** @param value any number */
    public record E028(int value) { }

    /** Listens to {@link E028}. */
    @Component
    public static class E028Listener {
        /** @param event the event */
        @EventListener
        public void on(E028 event) { }
    }

    /** @param value any number */
    public record E029(int value) { }

    /** Listens to {@link E029}. */
    @Component
    public static class E029Listener {
        /** @param event the event */
        @EventListener
        public void on(E029 event) { }
    }

    /** @param value any number */
    public record E030(int value) { }

    /** Listens to {@link E030}. */
    @Component
    public static class E030Listener {
        /** @param event the event */
        @EventListener
        public void on(E030 event) { }
    }

    /** @param value any number */
    public record E031(int value) { }

    /** Listens to {@link E031}. */
    @Component
    public static class E031Listener {
        /** @param event the event */
        @EventListener
        public void on(E031 event) { }
    }

    /** @param value any number */
    public record E032(int value) { }

    /** Listens to {@link E032}. */
    @Component
    public static class E032Listener {
        /** @param event the event */
        @EventListener
        public void on(E032 event) { }
    }

    /** @param value any number */
    public record E033(int value) { }

    /** Listens to {@link E033}. */
    @Component
    public static class E033Listener {
        /** @param event the event */
        @EventListener
        public void on(E033 event) { }
    }

    /** @param value any number */
    public record E034(int value) { }

    /** Listens to {@link E034}. */
    @Component
    public static class E034Listener {
        /** @param event the event */
        @EventListener
        public void on(E034 event) { }
    }

    /** @param value any number */
    public record E035(int value) { }

    /** Listens to {@link E035}. */
    @Component
    public static class E035Listener {
        /** @param event the event */
        @EventListener
        public void on(E035 event) { }
    }

    /** @param value any number */
    public record E036(int value) { }

    /** Listens to {@link E036}. */
    @Component
    public static class E036Listener {
        /** @param event the event */
        @EventListener
        public void on(E036 event) { }
    }

    /** @param value any number */
    public record E037(int value) { }

    /** Listens to {@link E037}. */
    @Component
    public static class E037Listener {
        /** @param event the event */
        @EventListener
        public void on(E037 event) { }
    }

    /** @param value any number */
    public record E038(int value) { }

    /** Listens to {@link E038}. */
    @Component
    public static class E038Listener {
        /** @param event the event */
        @EventListener
        public void on(E038 event) { }
    }

    /** @param value any number */
    public record E039(int value) { }

    /** Listens to {@link E039}. */
    @Component
    public static class E039Listener {
        /** @param event the event */
        @EventListener
        public void on(E039 event) { }
    }

    /** @param value any number */
    public record E040(int value) { }

    /** Listens to {@link E040}. */
    @Component
    public static class E040Listener {
        /** @param event the event */
        @EventListener
        public void on(E040 event) { }
    }

    /** @param value any number */
    public record E041(int value) { }

    /** Listens to {@link E041}. */
    @Component
    public static class E041Listener {
        /** @param event the event */
        @EventListener
        public void on(E041 event) { }
    }

    /** @param value any number */
    public record E042(int value) { }

    /** Listens to {@link E042}. */
    @Component
    public static class E042Listener {
        /** @param event the event */
        @EventListener
        public void on(E042 event) { }
    }

    /** @param value any number */
    public record E043(int value) { }

    /** Listens to {@link E043}. */
    @Component
    public static class E043Listener {
        /** @param event the event */
        @EventListener
        public void on(E043 event) { }
    }

    /** @param value any number */
    public record E044(int value) { }

    /** Listens to {@link E044}. */
    @Component
    public static class E044Listener {
        /** @param event the event */
        @EventListener
        public void on(E044 event) { }
    }

    /** @param value any number */
    public record E045(int value) { }

    /** Listens to {@link E045}. */
    @Component
    public static class E045Listener {
        /** @param event the event */
        @EventListener
        public void on(E045 event) { }
    }

    /** @param value any number */
    public record E046(int value) { }

    /** Listens to {@link E046}. */
    @Component
    public static class E046Listener {
        /** @param event the event */
        @EventListener
        public void on(E046 event) { }
    }

    /** @param value any number */
    public record E047(int value) { }

    /** Listens to {@link E047}. */
    @Component
    public static class E047Listener {
        /** @param event the event */
        @EventListener
        public void on(E047 event) { }
    }

    /** @param value any number */
    public record E048(int value) { }

    /** Listens to {@link E048}. */
    @Component
    public static class E048Listener {
        /** @param event the event */
        @EventListener
        public void on(E048 event) { }
    }

    /** @param value any number */
    public record E049(int value) { }

    /** Listens to {@link E049}. */
    @Component
    public static class E049Listener {
        /** @param event the event */
        @EventListener
        public void on(E049 event) { }
    }

    /** @param value any number */
    public record E050(int value) { }

    /** Listens to {@link E050}. */
    @Component
    public static class E050Listener {
        /** @param event the event */
        @EventListener
        public void on(E050 event) { }
    }

    /** @param value any number */
    public record E051(int value) { }

    /** Listens to {@link E051}. */
    @Component
    public static class E051Listener {
        /** @param event the event */
        @EventListener
        public void on(E051 event) { }
    }

    /** @param value any number */
    public record E052(int value) { }

    /** Listens to {@link E052}. */
    @Component
    public static class E052Listener {
        /** @param event the event */
        @EventListener
        public void on(E052 event) { }
    }

    /** @param value any number */
    public record E053(int value) { }

    /** Listens to {@link E053}. */
    @Component
    public static class E053Listener {
        /** @param event the event */
        @EventListener
        public void on(E053 event) { }
    }

    /** @param value any number */
    public record E054(int value) { }

    /** Listens to {@link E054}. */
    @Component
    public static class E054Listener {
        /** @param event the event */
        @EventListener
        public void on(E054 event) { }
    }

    /** @param value any number */
    public record E055(int value) { }

    /** Listens to {@link E055}. */
    @Component
    public static class E055Listener {
        /** @param event the event */
        @EventListener
        public void on(E055 event) { }
    }

    /** @param value any number */
    public record E056(int value) { }

    /** Listens to {@link E056}. */
    @Component
    public static class E056Listener {
        /** @param event the event */
        @EventListener
        public void on(E056 event) { }
    }

    /** @param value any number */
    public record E057(int value) { }

    /** Listens to {@link E057}. */
    @Component
    public static class E057Listener {
        /** @param event the event */
        @EventListener
        public void on(E057 event) { }
    }

    /** @param value any number */
    public record E058(int value) { }

    /** Listens to {@link E058}. */
    @Component
    public static class E058Listener {
        /** @param event the event */
        @EventListener
        public void on(E058 event) { }
    }

    /** @param value any number */
    public record E059(int value) { }

    /** Listens to {@link E059}. */
    @Component
    public static class E059Listener {
        /** @param event the event */
        @EventListener
        public void on(E059 event) { }
    }

    /** @param value any number */
    public record E060(int value) { }

    /** Listens to {@link E060}. */
    @Component
    public static class E060Listener {
        /** @param event the event */
        @EventListener
        public void on(E060 event) { }
    }

    /** @param value any number */
    public record E061(int value) { }

    /** Listens to {@link E061}. */
    @Component
    public static class E061Listener {
        /** @param event the event */
        @EventListener
        public void on(E061 event) { }
    }

    /** @param value any number */
    public record E062(int value) { }

    /** Listens to {@link E062}. */
    @Component
    public static class E062Listener {
        /** @param event the event */
        @EventListener
        public void on(E062 event) { }
    }

    /** @param value any number */
    public record E063(int value) { }

    /** Listens to {@link E063}. */
    @Component
    public static class E063Listener {
        /** @param event the event */
        @EventListener
        public void on(E063 event) { }
    }

    /** @param value any number */
    public record E064(int value) { }

    /** Listens to {@link E064}. */
    @Component
    public static class E064Listener {
        /** @param event the event */
        @EventListener
        public void on(E064 event) { }
    }

    /** @param value any number */
    public record E065(int value) { }

    /** Listens to {@link E065}. */
    @Component
    public static class E065Listener {
        /** @param event the event */
        @EventListener
        public void on(E065 event) { }
    }

    /** @param value any number */
    public record E066(int value) { }

    /** Listens to {@link E066}. */
    @Component
    public static class E066Listener {
        /** @param event the event */
        @EventListener
        public void on(E066 event) { }
    }

    /** @param value any number */
    public record E067(int value) { }

    /** Listens to {@link E067}. */
    @Component
    public static class E067Listener {
        /** @param event the event */
        @EventListener
        public void on(E067 event) { }
    }

    /** @param value any number */
    public record E068(int value) { }

    /** Listens to {@link E068}. */
    @Component
    public static class E068Listener {
        /** @param event the event */
        @EventListener
        public void on(E068 event) { }
    }

    /** @param value any number */
    public record E069(int value) { }

    /** Listens to {@link E069}. */
    @Component
    public static class E069Listener {
        /** @param event the event */
        @EventListener
        public void on(E069 event) { }
    }

    /** @param value any number */
    public record E070(int value) { }

    /** Listens to {@link E070}. */
    @Component
    public static class E070Listener {
        /** @param event the event */
        @EventListener
        public void on(E070 event) { }
    }

    /** @param value any number */
    public record E071(int value) { }

    /** Listens to {@link E071}. */
    @Component
    public static class E071Listener {
        /** @param event the event */
        @EventListener
        public void on(E071 event) { }
    }

    /** @param value any number */
    public record E072(int value) { }

    /** Listens to {@link E072}. */
    @Component
    public static class E072Listener {
        /** @param event the event */
        @EventListener
        public void on(E072 event) { }
    }

    /** @param value any number */
    public record E073(int value) { }

    /** Listens to {@link E073}. */
    @Component
    public static class E073Listener {
        /** @param event the event */
        @EventListener
        public void on(E073 event) { }
    }

    /** @param value any number */
    public record E074(int value) { }

    /** Listens to {@link E074}. */
    @Component
    public static class E074Listener {
        /** @param event the event */
        @EventListener
        public void on(E074 event) { }
    }

    /** @param value any number */
    public record E075(int value) { }

    /** Listens to {@link E075}. */
    @Component
    public static class E075Listener {
        /** @param event the event */
        @EventListener
        public void on(E075 event) { }
    }

    /** @param value any number */
    public record E076(int value) { }

    /** Listens to {@link E076}. */
    @Component
    public static class E076Listener {
        /** @param event the event */
        @EventListener
        public void on(E076 event) { }
    }

    /** @param value any number */
    public record E077(int value) { }

    /** Listens to {@link E077}. */
    @Component
    public static class E077Listener {
        /** @param event the event */
        @EventListener
        public void on(E077 event) { }
    }

    /** @param value any number */
    public record E078(int value) { }

    /** Listens to {@link E078}. */
    @Component
    public static class E078Listener {
        /** @param event the event */
        @EventListener
        public void on(E078 event) { }
    }

    /** @param value any number */
    public record E079(int value) { }

    /** Listens to {@link E079}. */
    @Component
    public static class E079Listener {
        /** @param event the event */
        @EventListener
        public void on(E079 event) { }
    }

    /** @param value any number */
    public record E080(int value) { }

    /** Listens to {@link E080}. */
    @Component
    public static class E080Listener {
        /** @param event the event */
        @EventListener
        public void on(E080 event) { }
    }

    /** @param value any number */
    public record E081(int value) { }

    /** Listens to {@link E081}. */
    @Component
    public static class E081Listener {
        /** @param event the event */
        @EventListener
        public void on(E081 event) { }
    }

    /** @param value any number */
    public record E082(int value) { }

    /** Listens to {@link E082}. */
    @Component
    public static class E082Listener {
        /** @param event the event */
        @EventListener
        public void on(E082 event) { }
    }

    /** @param value any number */
    public record E083(int value) { }

    /** Listens to {@link E083}. */
    @Component
    public static class E083Listener {
        /** @param event the event */
        @EventListener
        public void on(E083 event) { }
    }

    /** @param value any number */
    public record E084(int value) { }

    /** Listens to {@link E084}. */
    @Component
    public static class E084Listener {
        /** @param event the event */
        @EventListener
        public void on(E084 event) { }
    }

    /** @param value any number */
    public record E085(int value) { }

    /** Listens to {@link E085}. */
    @Component
    public static class E085Listener {
        /** @param event the event */
        @EventListener
        public void on(E085 event) { }
    }

    /** @param value any number */
    public record E086(int value) { }

    /** Listens to {@link E086}. */
    @Component
    public static class E086Listener {
        /** @param event the event */
        @EventListener
        public void on(E086 event) { }
    }

    /** @param value any number */
    public record E087(int value) { }

    /** Listens to {@link E087}. */
    @Component
    public static class E087Listener {
        /** @param event the event */
        @EventListener
        public void on(E087 event) { }
    }

    /** @param value any number */
    public record E088(int value) { }

    /** Listens to {@link E088}. */
    @Component
    public static class E088Listener {
        /** @param event the event */
        @EventListener
        public void on(E088 event) { }
    }

    /** @param value any number */
    public record E089(int value) { }

    /** Listens to {@link E089}. */
    @Component
    public static class E089Listener {
        /** @param event the event */
        @EventListener
        public void on(E089 event) { }
    }

    /** @param value any number */
    public record E090(int value) { }

    /** Listens to {@link E090}. */
    @Component
    public static class E090Listener {
        /** @param event the event */
        @EventListener
        public void on(E090 event) { }
    }

    /** @param value any number */
    public record E091(int value) { }

    /** Listens to {@link E091}. */
    @Component
    public static class E091Listener {
        /** @param event the event */
        @EventListener
        public void on(E091 event) { }
    }

    /** @param value any number */
    public record E092(int value) { }

    /** Listens to {@link E092}. */
    @Component
    public static class E092Listener {
        /** @param event the event */
        @EventListener
        public void on(E092 event) { }
    }

    /** @param value any number */
    public record E093(int value) { }

    /** Listens to {@link E093}. */
    @Component
    public static class E093Listener {
        /** @param event the event */
        @EventListener
        public void on(E093 event) { }
    }

    /** @param value any number */
    public record E094(int value) { }

    /** Listens to {@link E094}. */
    @Component
    public static class E094Listener {
        /** @param event the event */
        @EventListener
        public void on(E094 event) { }
    }

    /** @param value any number */
    public record E095(int value) { }

    /** Listens to {@link E095}. */
    @Component
    public static class E095Listener {
        /** @param event the event */
        @EventListener
        public void on(E095 event) { }
    }

    /** @param value any number */
    public record E096(int value) { }

    /** Listens to {@link E096}. */
    @Component
    public static class E096Listener {
        /** @param event the event */
        @EventListener
        public void on(E096 event) { }
    }

    /** @param value any number */
    public record E097(int value) { }

    /** Listens to {@link E097}. */
    @Component
    public static class E097Listener {
        /** @param event the event */
        @EventListener
        public void on(E097 event) { }
    }

    /** @param value any number */
    public record E098(int value) { }

    /** Listens to {@link E098}. */
    @Component
    public static class E098Listener {
        /** @param event the event */
        @EventListener
        public void on(E098 event) { }
    }

    /** @param value any number */
    public record E099(int value) { }

    /** Listens to {@link E099}. */
    @Component
    public static class E099Listener {
        /** @param event the event */
        @EventListener
        public void on(E099 event) { }
    }
}
