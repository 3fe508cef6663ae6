# Reference outputs for issue 17, items 1, 2, 7: group contrasts, Kenward-Roger, emmeans, clm,
# logLik/AIC/BIC and likelihood-ratio tests.
# Run from the repository root:  Rscript tests/results/models/reference_contrasts.R
# R 4.2.2, lme4 1.1-31, lmerTest 3.1-3, pbkrtest 0.5.2, emmeans 1.8.4-1, ordinal 2022.11-16.
# Data: tests/results/mixed/synthetic_cohort.csv (seeded, unbalanced; make_synthetic.py) and
# tests/results/mixed/sleepstudy_long.csv (lme4::sleepstudy subset). Writes next to this script:
#   groups.csv        lmer(score ~ wave * municipality) with Ede as reference level: summary()
#                     coefficients and contest1D() of the difference averaged over waves; anova(type 3)
#   kr.csv            summary(m, ddf = "Kenward-Roger") coefficients; contest1D(..., ddf = "Kenward-Roger")
#   kr_anova.csv      anova(m, type = 3, ddf = "Kenward-Roger")
#   emmeans.csv       emmeans(m, specs) with lmer.df = satterthwaite / kenward-roger
#   emm_pairs.csv     pairs(emmeans(...), reverse = TRUE, adjust = ...), infer = c(TRUE, TRUE), CI unadjusted
#   clm.csv           ordinal::clm(y ~ wave): coefficients, SE, logLik
#   fit.csv           logLik(), AIC(), BIC() of lmer (REML and ML), clm and clmm fits, with df
#   lrt.csv           anova(m0, m1) chi-square: lmer ML wave vs wave + covariates; clm vs clmm
suppressPackageStartupMessages({library(lmerTest); library(pbkrtest); library(emmeans); library(ordinal)})
options(warn = 1)
here <- "tests/results/models"
ctrl <- lmerControl(optimizer = "nloptwrap",
                    optCtrl = list(xtol_abs = 1e-12, ftol_abs = 1e-12, xtol_rel = 1e-12, maxeval = 1e5))
syn <- read.csv("tests/results/mixed/synthetic_cohort.csv")
syn <- syn[!is.na(syn$score), ]
syn$wave <- factor(syn$wave, levels = c("intake", "year1", "year2"))
syn$household_type <- factor(syn$household_type)
ss <- read.csv("tests/results/mixed/sleepstudy_long.csv")
ss$wave <- factor(ss$wave, levels = c("day0", "day3", "day6", "day9"))
groups <- list(); kr <- list(); kra <- list(); emm <- list(); prs <- list(); clmr <- list(); fit <- list()
lrt <- list()
coefs <- function(m, ddf) { s <- summary(m, ddf = ddf)$coefficients
  data.frame(term = rownames(s), estimate = s[, 1], se = s[, 2], df = s[, 3], t = s[, 4], p_value = s[, 5]) }
add_emm <- function(m, specs, dataset, domain, model, mode) {
  e <- emmeans(m, specs, lmer.df = mode)
  d <- as.data.frame(e)
  emm[[length(emm) + 1]] <<- data.frame(dataset, domain, model, mode, d[, setdiff(names(d), c("emmean", "SE",
    "lower.CL", "upper.CL")), drop = FALSE], estimate = d$emmean, se = d$SE, ci_low = d$lower.CL,
    ci_high = d$upper.CL, row.names = NULL)
  for (adj in c("holm", "tukey", "none", "bonferroni")) {
    p <- as.data.frame(summary(pairs(e, reverse = TRUE, adjust = adj), infer = c(TRUE, TRUE), adjust = adj))
    ci <- as.data.frame(confint(pairs(e, reverse = TRUE), adjust = "none"))
    prs[[length(prs) + 1]] <<- data.frame(dataset, domain, model, mode, adjust = adj,
      p[, setdiff(names(p), c("estimate", "SE", "lower.CL", "upper.CL", "t.ratio", "p.value")), drop = FALSE],
      estimate = p$estimate, se = p$SE, t = p$t.ratio, p_adjusted = p$p.value, ci_low = ci$lower.CL,
      ci_high = ci$upper.CL, row.names = NULL)
  }
}
for (dom in c("finances", "housing", "social_network")) {
  d <- syn[syn$domain == dom, ]
  # (1) group contrasts with a chosen reference level
  d$municipality <- relevel(factor(d$municipality), ref = "Ede")
  m <- lmer(score ~ wave * municipality + (1 | family_id), data = d, control = ctrl)
  co <- coefs(m, "Satterthwaite")
  b <- names(fixef(m))
  for (g in c("Arnhem", "Zwolle")) {
    L <- setNames(rep(0, length(b)), b); L[paste0("municipality", g)] <- 1
    L[paste0("waveyear1:municipality", g)] <- 1 / 3; L[paste0("waveyear2:municipality", g)] <- 1 / 3
    r <- contest1D(m, L, confint = TRUE)
    co <- rbind(co, data.frame(term = paste0("average:", g), estimate = r$Estimate, se = r[["Std. Error"]],
                               df = r$df, t = r[["t value"]], p_value = r[["Pr(>|t|)"]], row.names = NULL))
  }
  groups[[length(groups) + 1]] <- data.frame(domain = dom, co, row.names = NULL)
  a <- anova(m, type = 3)
  groups[[length(groups) + 1]] <- data.frame(domain = dom, term = paste0("F:", rownames(a)), estimate = a[["F value"]],
                                              se = NA, df = a$DenDF, t = a$NumDF, p_value = a[["Pr(>F)"]])
  add_emm(m, ~ wave | municipality, "synthetic", dom, "by_municipality_wave", "satterthwaite")
  add_emm(m, ~ wave, "synthetic", dom, "by_municipality_avg", "satterthwaite")
  add_emm(m, ~ municipality | wave, "synthetic", dom, "by_municipality_groups", "satterthwaite")
  # (2) Kenward-Roger
  for (model in c("wave", "by_municipality", "covariates")) {
    f <- switch(model, wave = score ~ wave + (1 | family_id), by_municipality = score ~ wave * municipality + (1 | family_id),
                covariates = score ~ wave + n_children + household_type + (1 | family_id))
    mk <- lmer(f, data = d, control = ctrl)
    kr[[length(kr) + 1]] <- data.frame(dataset = "synthetic", domain = dom, model, coefs(mk, "Kenward-Roger"), row.names = NULL)
    ak <- anova(mk, type = 3, ddf = "Kenward-Roger")
    kra[[length(kra) + 1]] <- data.frame(dataset = "synthetic", domain = dom, model, term = rownames(ak),
      f_value = ak[["F value"]], df1 = ak$NumDF, df2 = ak$DenDF, p_value = ak[["Pr(>F)"]], row.names = NULL)
    if (model != "by_municipality") {
      add_emm(mk, ~ wave, "synthetic", dom, model, "satterthwaite")
      add_emm(mk, ~ wave, "synthetic", dom, model, "kenward-roger")
    }
  }
  # (7) clm, fit statistics, LRTs
  d$y <- factor(d$score, ordered = TRUE)
  m_clm <- clm(y ~ wave, data = d, control = clm.control(gradTol = 1e-10, maxIter = 500))
  m_clmm <- clmm(y ~ wave + (1 | family_id), data = d, nAGQ = 10, control = clmm.control(gradTol = 1e-8))
  sc <- coef(summary(m_clm))
  clmr[[length(clmr) + 1]] <- data.frame(dataset = "synthetic", domain = dom, term = rownames(sc), estimate = sc[, 1],
                                         se = sc[, 2], loglik = as.numeric(logLik(m_clm)), row.names = NULL)
  m_reml <- lmer(score ~ wave + (1 | family_id), data = d, control = ctrl)
  m0 <- lmer(score ~ wave + (1 | family_id), data = d, REML = FALSE, control = ctrl)
  m1 <- lmer(score ~ wave + n_children + household_type + (1 | family_id), data = d, REML = FALSE, control = ctrl)
  for (x in list(list("lmm_reml", m_reml), list("lmm_ml", m0), list("lmm_ml_cov", m1), list("clm", m_clm),
                 list("clmm", m_clmm))) {
    ll <- logLik(x[[2]])
    fit[[length(fit) + 1]] <- data.frame(dataset = "synthetic", domain = dom, model = x[[1]], loglik = as.numeric(ll),
                                         n_par = attr(ll, "df"), aic = AIC(x[[2]]), bic = BIC(x[[2]]))
  }
  a1 <- anova(m0, m1)
  a2 <- anova(m_clm, m_clmm)
  lrt[[length(lrt) + 1]] <- data.frame(dataset = "synthetic", domain = dom,
    test = c("lmm_ml_cov", "clmm"), chi2 = c(a1$Chisq[2], a2$LR.stat[2]), df = c(a1$Df[2], a2$df[2]),
    p_value = c(a1[["Pr(>Chisq)"]][2], a2[["Pr(>Chisq)"]][2]))
}
m <- lmer(score ~ wave + (1 | family_id), data = ss, control = ctrl)
kr[[length(kr) + 1]] <- data.frame(dataset = "sleepstudy", domain = "reaction", model = "wave",
                                   coefs(m, "Kenward-Roger"), row.names = NULL)
ak <- anova(m, type = 3, ddf = "Kenward-Roger")
kra[[length(kra) + 1]] <- data.frame(dataset = "sleepstudy", domain = "reaction", model = "wave", term = rownames(ak),
  f_value = ak[["F value"]], df1 = ak$NumDF, df2 = ak$DenDF, p_value = ak[["Pr(>F)"]], row.names = NULL)
add_emm(m, ~ wave, "sleepstudy", "reaction", "wave", "satterthwaite")
add_emm(m, ~ wave, "sleepstudy", "reaction", "wave", "kenward-roger")

fill <- function(x) {  # rbind data frames whose columns differ (municipality / wave present or not)
  cols <- unique(unlist(lapply(x, names)))
  do.call(rbind, lapply(x, function(d) { for (c in setdiff(cols, names(d))) d[[c]] <- NA; d[cols] }))
}
w <- function(x, f) write.csv(fill(x), file.path(here, f), row.names = FALSE)
w(groups, "groups.csv"); w(kr, "kr.csv"); w(kra, "kr_anova.csv"); w(emm, "emmeans.csv"); w(prs, "emm_pairs.csv")
w(clmr, "clm.csv"); w(fit, "fit.csv"); w(lrt, "lrt.csv")
