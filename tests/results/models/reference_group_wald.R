# Reference outputs for the between-group contrasts of GEE, clm and clmm (issue 17 items 1, 7, 9)
# and clm with covariates and its likelihood-ratio test.
# Run from the repository root:  Rscript tests/results/models/reference_group_wald.R
# R 4.2.2, geepack 1.3.9, ordinal 2022.11-16. Data: the seeded synthetic cohort
# (tests/results/mixed/synthetic_cohort.csv), municipality releveled to the reference "Ede".
# Writes next to this script:
#   group_wald.csv  per model (gee: geeglm(score ~ wave * municipality, corstr = "exchangeable"),
#                   robust SEs; clm: clm(y ~ wave * municipality); clmm: clmm(y ~ wave * municipality
#                   + (1 | family_id), nAGQ = 10)) and group: the coefficients municipalityG (difference at
#                   intake) and waveyearK:municipalityG (difference in change since intake), and
#                   "average" = municipalityG + (waveyear1:municipalityG + waveyear2:municipalityG) / 3
#                   with se sqrt(L V L') from vcov()
#   clm_cov.csv     clm(y ~ wave + n_children + household_type): coefficients, SE, logLik, AIC, BIC; and
#                   anova(clm(y ~ wave), clm(y ~ wave + n_children + household_type)) (LR.stat, df, p)
suppressPackageStartupMessages({library(geepack); library(ordinal)})
options(warn = 1)
here <- "tests/results/models"
syn <- read.csv("tests/results/mixed/synthetic_cohort.csv")
syn <- syn[!is.na(syn$score), ]
syn$wave <- factor(syn$wave, levels = c("intake", "year1", "year2"))
syn$municipality <- relevel(factor(syn$municipality), ref = "Ede")
syn$household_type <- factor(syn$household_type)
out <- list(); cov <- list()
contrasts_of <- function(b, V, dom, model) {
  res <- NULL
  for (g in levels(syn$municipality)[-1]) {
    Ls <- list()
    for (tm in c("intercept", "year1", "year2")) {
      L <- setNames(rep(0, length(b)), names(b))
      L[if (tm == "intercept") paste0("municipality", g) else paste0("wave", tm, ":municipality", g)] <- 1
      Ls[[tm]] <- L
    }
    Ls[["average"]] <- Ls[["intercept"]] + (Ls[["year1"]] + Ls[["year2"]]) / 3
    for (tm in names(Ls)) {
      L <- Ls[[tm]]
      res <- rbind(res, data.frame(model, domain = dom, group = g, term = tm, estimate = sum(L * b),
                                   se = sqrt(drop(L %*% V %*% L))))
    }
  }
  res
}
for (dom in unique(syn$domain)) {
  d <- syn[syn$domain == dom, ]
  d <- d[order(d$family_id, d$wave), ]
  d$id <- as.integer(factor(d$family_id))
  d$y <- factor(d$score, ordered = TRUE)
  g <- geeglm(score ~ wave * municipality, id = id, data = d, corstr = "exchangeable", family = gaussian)
  out[[length(out) + 1]] <- contrasts_of(coef(g), vcov(g), dom, "gee")
  m <- clm(y ~ wave * municipality, data = d, control = clm.control(gradTol = 1e-10, maxIter = 500))
  out[[length(out) + 1]] <- contrasts_of(coef(m), vcov(m), dom, "clm")
  mm <- clmm(y ~ wave * municipality + (1 | family_id), data = d, nAGQ = 10,
             control = clmm.control(gradTol = 1e-8))
  V <- vcov(mm); keep <- names(coef(mm))
  out[[length(out) + 1]] <- contrasts_of(coef(mm), V[keep, keep], dom, "clmm")
  m0 <- clm(y ~ wave, data = d, control = clm.control(gradTol = 1e-10, maxIter = 500))
  m1 <- clm(y ~ wave + n_children + household_type, data = d,
            control = clm.control(gradTol = 1e-10, maxIter = 500))
  s <- coef(summary(m1)); a <- anova(m0, m1)
  cov[[length(cov) + 1]] <- data.frame(domain = dom, term = c(rownames(s), "lrt"),
    estimate = c(s[, 1], a$LR.stat[2]), se = c(s[, 2], NA), df = c(rep(NA, nrow(s)), a$df[2]),
    p_value = c(rep(NA, nrow(s)), a[["Pr(>Chisq)"]][2]), loglik = as.numeric(logLik(m1)),
    n_par = attr(logLik(m1), "df"), aic = AIC(m1), bic = BIC(m1))
}
w <- function(x, f) write.csv(do.call(rbind, x), file.path(here, f), row.names = FALSE)
w(out, "group_wald.csv"); w(cov, "clm_cov.csv")
