# Reference values for impactkit.measures.reliable_change and cronbach_alpha (R 4.2, psych).
# Run from this directory: Rscript reference_reliable.R
#   Jacobson & Truax (1991) written out: RCI = (x2 - x1) / (SD1 * sqrt(2) * sqrt(1 - r)), SD1 = sd() of
#   all observed baseline scores of the domain; cut-offs a = M1 + 2 SD1, c = (SD0 M1 + SD1 M0)/(SD0 + SD1),
#   recovered = |RCI| > 1.96 upwards and baseline < cut-off <= followup.
#   Cronbach's alpha: psych::alpha(items, check.keys = FALSE)$total$raw_alpha on complete rows.
suppressPackageStartupMessages(library(psych))
options(digits = 17)

sample_long <- function() {
  w <- read.csv("../../../data/sample/assessments.csv", stringsAsFactors = FALSE)
  doms <- setdiff(names(w), c("family_id", "wave", "assessed_on"))
  do.call(rbind, lapply(doms, function(dm) data.frame(family_id = w$family_id, wave = w$wave,
                                                       domain = dm, score = w[[dm]])))
}

rci_table <- function(d, r, cut_rule, norms = NULL, b = "intake", f = "year2") {
  out <- list()
  for (dm in unique(d$domain)) {
    x <- d[d$domain == dm & d$wave == b & !is.na(d$score), c("family_id", "score")]
    y <- d[d$domain == dm & d$wave == f & !is.na(d$score), c("family_id", "score")]
    sd1 <- sd(x$score); m1 <- mean(x$score)
    cut <- switch(cut_rule, a = m1 + 2 * sd1, sufficient = 4,
                  c = (norms[2] * m1 + sd1 * norms[1]) / (norms[2] + sd1))
    m <- merge(x, y, by = "family_id", suffixes = c("_b", "_f"))
    rci <- (m$score_f - m$score_b) / (sd1 * sqrt(2) * sqrt(1 - r))
    up <- rci > 1.96; down <- rci < -1.96
    crossed <- m$score_b < cut & m$score_f >= cut
    cat <- ifelse(up & crossed, "recovered", ifelse(up, "improved", ifelse(down, "deteriorated", "unchanged")))
    out[[dm]] <- data.frame(family_id = m$family_id, domain = dm, baseline_score = m$score_b,
                            followup_score = m$score_f, rci = rci, category = cat, cutoff = cut)
  }
  do.call(rbind, out)
}

write.csv(rci_table(read.csv("long_ordinal.csv"), 0.75, "a"), "rci_ordinal_a.csv", row.names = FALSE)
write.csv(rci_table(read.csv("long_ordinal.csv"), 0.75, "c", norms = c(3.8, 0.7)), "rci_ordinal_c.csv",
          row.names = FALSE)
write.csv(rci_table(sample_long(), 0.80, "sufficient"), "rci_sample.csv", row.names = FALSE)

items <- read.csv("items_wide.csv")
items$a4 <- 5 - items$a4  # reverse-keyed item (scale 1-4): min + max - answer
alpha_of <- function(cols) {
  x <- items[complete.cases(items[, cols]), cols]
  c(n = nrow(x), alpha = psych::alpha(x, check.keys = FALSE, warnings = FALSE)$total$raw_alpha)
}
a <- alpha_of(c("a1", "a2", "a3", "a4")); b <- alpha_of(c("b1", "b2", "b3", "b4", "b5"))
write.csv(data.frame(domain = c("area_a", "area_b"), n_items = c(4, 5), n = c(a[["n"]], b[["n"]]),
                     alpha = c(a[["alpha"]], b[["alpha"]])), "alpha_items.csv", row.names = FALSE)
