package dev.ringlock.sample;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The page at {@code /}: counts the view in the shared counter, then serves {@code static/index.html}.
 */
@Controller
class PageController {

    private final PageViews pageViews;

    PageController(PageViews pageViews) {
        this.pageViews = pageViews;
    }

    @GetMapping("/")
    String page() {
        pageViews.record();
        return "forward:/index.html";
    }
}
