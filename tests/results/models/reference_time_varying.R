# Reference outputs for a covariate that varies within a family (support_hours per assessment) in
# the models besides lmer (reference_time.R has lmer): GEE, clm and MMRM (issue 17 item 4).
# Run from the repository root:  Rscript tests/results/models/reference_time_varying.R
# R 4.2.2, geepack 1.3.9, ordinal 2022.11-16, nlme 3.1-162. Data: dated_cohort.csv (make_dated.py).
# Writes time_varying.csv next to this script: coefficients and SEs of
#   gee   geeglm(score ~ wave + support_hours, id = family, corstr = "exchangeable"), robust SEs
#   clm   clm(factor(score, ordered = TRUE) ~ wave + support_hours)
#   mmrm  gls(score ~ wave + support_hours, corSymm(form = ~ t | family_id), varIdent(form = ~ 1 | wave)),
#         REML (estimates 1e-5: gls stops at ~1e-8 relative on the criterion)
suppressPackageStartupMessages({library(geepack); library(ordinal); library(nlme)})
options(warn = 1)
here <- "tests/results/models"
d0 <- read.csv(file.path(here, "dated_cohort.csv"))
d0 <- d0[!is.na(d0$score), ]
d0$wave <- factor(d0$wave, levels = c("intake", "year1", "year2"))
d0$t <- as.integer(d0$wave)
out <- NULL
for (dom in unique(d0$domain)) {
  d <- d0[d0$domain == dom, ]
  d <- d[order(d$family_id, d$t), ]
  d$id <- as.integer(factor(d$family_id))
  g <- geeglm(score ~ wave + support_hours, id = id, data = d, corstr = "exchangeable", family = gaussian)
  s <- summary(g)$coefficients
  out <- rbind(out, data.frame(model = "gee", domain = dom, term = rownames(s), estimate = s[, 1], se = s[, 2]))
  d$y <- factor(d$score, ordered = TRUE)
  m <- clm(y ~ wave + support_hours, data = d, control = clm.control(gradTol = 1e-10, maxIter = 500))
  s <- coef(summary(m))
  out <- rbind(out, data.frame(model = "clm", domain = dom, term = rownames(s), estimate = s[, 1], se = s[, 2]))
  u <- gls(score ~ wave + support_hours, correlation = corSymm(form = ~ t | family_id),
           weights = varIdent(form = ~ 1 | wave), data = d, method = "REML",
           control = glsControl(tolerance = 1e-12, msTol = 1e-12, maxIter = 1000, msMaxIter = 1000))
  s <- summary(u)$tTable
  out <- rbind(out, data.frame(model = "mmrm", domain = dom, term = rownames(s), estimate = s[, 1], se = s[, 2]))
}
write.csv(out, file.path(here, "time_varying.csv"), row.names = FALSE, quote = TRUE)
