# The negative binomial at its boundary theta = infinity: crisis contacts of impactkit's sample
# (data/sample, written by tests/outcomes/test_count_models.py::test_negbin_at_the_poisson_boundary when
# missing), where the family effect leaves no overdispersion.  Run from the repository root:
#   Rscript tests/results/outcomes/reference_boundary.R
# R 4.2.2, lme4 1.1-31, glmmTMB 1.1.5.  Writes ref_boundary.csv: glmer(poisson, nAGQ = 25) (impactkit's
# answer when theta runs off: the Poisson GLMM, by the same 25-node quadrature) and glmmTMB(nbinom2), whose
# theta estimate runs off to a huge value with the Poisson's estimates.
suppressPackageStartupMessages({ library(lme4); library(glmmTMB) })
here <- "tests/results/outcomes"
d <- read.csv(file.path(here, "sample_crisis_counts.csv"))
d$phase <- factor(d$phase, levels = c("before", "during", "after"))
d$family_id <- factor(d$family_id)
f <- count ~ phase + offset(log(exposure_years)) + (1 | family_id)
ctrl <- glmerControl(optimizer = "nloptwrap", tolPwrss = 1e-12, check.conv.singular = "ignore",
                     optCtrl = list(xtol_abs = 1e-12, ftol_abs = 1e-14, xtol_rel = 1e-12, maxeval = 1e5))
m <- glmer(f, data = d, family = poisson, nAGQ = 25, control = ctrl)
p <- data.frame(model = "poisson_agq25", term = c(names(fixef(m)), "sd_family", "loglik"),
                estimate = c(unname(fixef(m)), attr(VarCorr(m)[[1]], "stddev"), as.numeric(logLik(m))),
                se = c(sqrt(diag(as.matrix(vcov(m)))), NA, NA))
t <- glmmTMB(f, data = d, family = nbinom2,
             control = glmmTMBControl(optCtrl = list(iter.max = 1e4, eval.max = 1e4, rel.tol = 1e-14)))
n <- data.frame(model = "negbin_laplace", term = c(names(fixef(t)$cond), "sd_family", "theta"),
                estimate = c(unname(fixef(t)$cond), attr(VarCorr(t)$cond[[1]], "stddev"), sigma(t)),
                se = c(sqrt(diag(vcov(t)$cond)), NA, NA))
write.csv(rbind(p, n), file.path(here, "ref_boundary.csv"), row.names = FALSE)
cat(R.version.string, "lme4", format(packageVersion("lme4")), "glmmTMB", format(packageVersion("glmmTMB")), "\n")
