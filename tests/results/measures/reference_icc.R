# Reference values for impactkit.icc (R 4.2, psych 2.2.9): psych::ICC(x, lmer = FALSE), the six
# Shrout & Fleiss (1979) forms with F tests and confidence intervals, on
#   (1) Shrout & Fleiss (1979) Table 2 (6 targets, 4 judges), typed in;
#   (2) a seeded long table (icc_long.csv): 40 families, 3 raters, 2 domains, 3 missing ratings
#       (psych drops incomplete targets; so does impactkit).
# Run from this directory: Rscript reference_icc.R   -> icc.csv, icc_long.csv
suppressPackageStartupMessages(library(psych))
options(digits = 17)
out <- list()
one <- function(x, dataset, domain) {
  x <- x[complete.cases(x), ]
  r <- ICC(x, lmer = FALSE)$results
  data.frame(dataset, domain, type = r$type, icc = r$ICC, f_value = r$F, df1 = r$df1, df2 = r$df2,
             p_value = r$p, ci_low = r[["lower bound"]], ci_high = r[["upper bound"]], n_targets = nrow(x))
}
sf <- data.frame(J1 = c(9, 6, 8, 7, 10, 6), J2 = c(2, 1, 4, 1, 5, 2), J3 = c(5, 3, 6, 2, 6, 4),
                 J4 = c(8, 2, 8, 6, 9, 7))  # Shrout & Fleiss (1979), Table 2 (psych's ICC example)
out[[1]] <- one(sf, "shrout_fleiss", NA)
set.seed(17)
long <- do.call(rbind, lapply(c("finances", "housing"), function(dom) {
  true <- rnorm(40, 3, 0.8)
  do.call(rbind, lapply(1:3, function(j) data.frame(family_id = sprintf("F%02d", 1:40), rater = paste0("r", j),
    domain = dom, score = pmin(5, pmax(1, round(true + rnorm(40, 0.2 * (j - 2), 0.5)))))))
}))
long$score[c(5, 47, 200)] <- NA
write.csv(long, "icc_long.csv", row.names = FALSE)
for (dom in c("finances", "housing")) {
  d <- long[long$domain == dom, ]
  w <- reshape(d[, c("family_id", "rater", "score")], idvar = "family_id", timevar = "rater", direction = "wide")
  out[[length(out) + 1]] <- one(w[, -1], "long", dom)
}
write.csv(do.call(rbind, out), "icc.csv", row.names = FALSE)
