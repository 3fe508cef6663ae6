# Reference output for the likelihood-ratio test of the random-intercept mixed model against the
# MMRM (unstructured covariance over waves), same fixed effects, REML (issue 17 item 7).
# Run from the repository root:  Rscript tests/results/models/reference_lrt_mmrm.R
# R 4.2.2, nlme 3.1-162: anova(lme(score ~ wave, random = ~ 1 | family_id),
#   gls(score ~ wave, correlation = corSymm(form = ~ t | family_id), weights = varIdent(form = ~ 1 | wave)))
# on the seeded synthetic cohort. Writes lrt_mmrm.csv (logLik of both, L.Ratio, df, p) next to this script.
suppressPackageStartupMessages(library(nlme))
here <- "tests/results/models"
syn <- read.csv("tests/results/mixed/synthetic_cohort.csv")
syn <- syn[!is.na(syn$score), ]
syn$wave <- factor(syn$wave, levels = c("intake", "year1", "year2"))
syn$t <- as.integer(syn$wave)
out <- NULL
ctl <- glsControl(tolerance = 1e-12, msTol = 1e-12, maxIter = 1000, msMaxIter = 1000)
for (dom in unique(syn$domain)) {
  d <- syn[syn$domain == dom, ]
  d <- d[order(d$family_id, d$t), ]
  m0 <- lme(score ~ wave, random = ~ 1 | family_id, data = d, method = "REML",
            control = lmeControl(tolerance = 1e-12, msTol = 1e-12, maxIter = 1000, msMaxIter = 1000))
  m1 <- gls(score ~ wave, correlation = corSymm(form = ~ t | family_id), weights = varIdent(form = ~ 1 | wave),
            data = d, method = "REML", control = ctl)
  a <- anova(m0, m1)
  out <- rbind(out, data.frame(domain = dom, loglik_lmm = a$logLik[1], loglik_mmrm = a$logLik[2],
                               n_par_lmm = a$df[1], n_par_mmrm = a$df[2], chi2 = a$L.Ratio[2],
                               df = a$df[2] - a$df[1], p_value = a[["p-value"]][2]))
}
write.csv(out, file.path(here, "lrt_mmrm.csv"), row.names = FALSE)
