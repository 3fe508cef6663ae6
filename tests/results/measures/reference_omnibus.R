# Reference values for impactkit.measures.omnibus (R 4.2, afex 1.2-1, car 3.1-1).
# Run from this directory: Rscript reference_omnibus.R  -> omnibus_<dataset>.csv
#   afex::aov_ez(id, dv, within = "wave") on complete cases; summary() gives Mauchly's test and
#   the GG / HF epsilons (car:::summary.Anova.mlm, HF with the Lecoutre correction);
#   anova(fit, es = "ges") / anova(fit, es = "pes", correction = "none"); friedman.test(matrix).
suppressPackageStartupMessages(library(afex))
options(digits = 17)

sample_long <- function() {
  w <- read.csv("../../../data/sample/assessments.csv", stringsAsFactors = FALSE)
  doms <- setdiff(names(w), c("family_id", "wave", "assessed_on"))
  do.call(rbind, lapply(doms, function(dm) data.frame(family_id = w$family_id, wave = w$wave,
                                                       domain = dm, score = w[[dm]])))
}

one <- function(d, dom, waves) {
  s <- d[d$domain == dom & !is.na(d$score), ]
  wide <- reshape(s[, c("family_id", "wave", "score")], idvar = "family_id", timevar = "wave",
                  direction = "wide")
  cols <- paste0("score.", waves)
  wide <- wide[complete.cases(wide[, cols]), c("family_id", cols)]
  long <- s[s$family_id %in% wide$family_id, ]
  long$wave <- factor(long$wave, levels = waves)
  fit <- suppressMessages(aov_ez("family_id", "score", long, within = "wave"))
  sm <- summary(fit)
  uni <- sm$univariate.tests
  adj <- sm$pval.adjustments
  sph <- sm$sphericity.tests
  ges <- anova(fit, es = "ges", correction = "none")
  pes <- anova(fit, es = "pes", correction = "none")
  fr <- friedman.test(as.matrix(wide[, cols]))
  k <- length(waves); n <- nrow(wide)
  data.frame(domain = dom, n_complete = n,
             friedman_chi2 = unname(fr$statistic), friedman_p = fr$p.value,
             kendall_w = unname(fr$statistic) / (n * (k - 1)),
             anova_f = uni["wave", "F value"], anova_df1 = uni["wave", "num Df"],
             anova_df2 = uni["wave", "den Df"], anova_p = uni["wave", "Pr(>F)"],
             mauchly_w = if (k > 2) sph["wave", "Test statistic"] else NA,
             mauchly_p = if (k > 2) sph["wave", "p-value"] else NA,
             gg_epsilon = if (k > 2) adj["wave", "GG eps"] else 1,
             hf_epsilon = if (k > 2) adj["wave", "HF eps"] else NA,
             p_gg = if (k > 2) adj["wave", "Pr(>F[GG])"] else uni["wave", "Pr(>F)"],
             p_hf = if (k > 2) adj["wave", "Pr(>F[HF])"] else uni["wave", "Pr(>F)"],
             eta2_generalized = ges["wave", "ges"], eta2_partial = pes["wave", "pes"])
}

run <- function(d, waves, name) {
  res <- do.call(rbind, lapply(unique(d$domain), function(dm) one(d, dm, waves)))
  write.csv(res, sprintf("omnibus_%s.csv", name), row.names = FALSE)
}

w3 <- c("intake", "year1", "year2")
run(read.csv("long_ordinal.csv"), w3, "ordinal")
run(read.csv("long_continuous.csv"), w3, "continuous")
run(read.csv("obk_phase.csv"), c("pre", "post", "fup"), "obk_phase")
run(read.csv("obk_hour_pre.csv"), paste0("h", 1:5), "obk_hour_pre")
run(sample_long(), w3, "sample")
